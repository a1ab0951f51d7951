"""The pydantic models ``check`` validates, one module per resource module of the same name.

``_inputs/computed_trait.py`` holds ``ComputedTraitInputs`` and the models it nests, and so on;
``base`` holds what they share. Nothing imports these modules at start-up: a provider's
``inputs_model`` (``_lazy.LazyModel``) imports its module on first use, so a provider process
imports pydantic and builds models only when, and only for the types, it is asked to check.
"""
