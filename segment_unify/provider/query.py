"""The query language under the name programs import it by: it lives in :mod:`segment_unify.query`
(the provider, the emulator and the policy pack all read it), and this module keeps
``from segment_unify.provider.query import event_counter`` working."""

from segment_unify.query import *  # noqa: F403
from segment_unify.query import __all__ as __all__  # noqa: PLC0414  (re-exported)
