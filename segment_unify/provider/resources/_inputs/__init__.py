"""The pydantic models ``check`` validates, one module per resource module of the same name.

``_inputs/source.py`` holds ``SourceChecks`` (a source's catalog rule), and so on; ``base`` holds
what they share, and ``derive`` builds the models of the resources declared in one place
(``_declare``) from their declarations. Nothing imports these modules at start-up: a
provider's ``inputs_model`` (``_lazy.DeclaredModel``) imports its module on
first use, so a provider process imports pydantic and builds models only when, and only for
the types, it is asked to check.
"""
