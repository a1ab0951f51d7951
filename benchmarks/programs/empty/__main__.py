"""Nothing: the CLI's own start-up, the language host's and Python's, measured alone."""

import pulumi

pulumi.export("nothing", None)
