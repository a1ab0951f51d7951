"""Doctor's checks of the space's results: computed traits with members, audiences, predictions,
Profiles Sync, a sample profile, and the steps only Segment's app (or Twilio's Console) takes.
Pure functions of ``Facts``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from segment_unify.cli.doctor_read import Facts, display_name
from segment_unify.cli.doctor_report import Check, Status
from segment_unify.provider.resources.prediction import is_predicted

TRAITS_PAGE = "Segment app: Unify > Traits > Computed traits"


def _disabled(check_id: str, title: str, noun: str, where: str) -> Check:
    return Check(
        check_id, "traits", title, "FAIL", f"the {noun} is disabled", f"enable the {noun}", where
    )


def traits(facts: Facts) -> Iterator[Check]:
    """A computation is in the space's schema (ListTraits) once a profile carries a value of it:
    the member test of the guide's Preview Trait step, from what Segment computed."""
    carried = {str(t.get("trait")): t for t in facts.traits}
    for trait in facts.computed_traits:
        key = str(trait.get("key"))
        check_id, title = f"trait:{key}", f"Trait {display_name(trait)}"
        where = f"{TRAITS_PAGE} > {display_name(trait)} > Preview"
        if not trait.get("enabled"):
            yield _disabled(check_id, title, "trait", where)
        elif key in carried:
            yield Check(
                check_id,
                "traits",
                title,
                "PASS",
                f"profiles carry it (last computed {carried[key].get('lastSeenAt')})",
                counts={"traits": 1},
            )
        else:
            query = (trait.get("definition") or {}).get("query", "")
            yield Check(
                check_id,
                "traits",
                title,
                "FAIL",
                f"no profile has a value of {key!r} (ListTraits): no member",
                f"check that the events its definition reads arrive ({query})",
                where,
                {"traits": 0},
            )
    for audience in facts.audiences:
        key = str(audience.get("key"))
        check_id, title = f"audience:{key}", f"Audience {display_name(audience)}"
        where = f"Segment app: Engage > Audiences > {display_name(audience)}"
        size = facts.audience_sizes.get(key)
        if not audience.get("enabled"):
            yield _disabled(check_id, title, "audience", where)
        elif size is not None:
            status: Status = "PASS" if size else "WARN"
            yield Check(
                check_id,
                "traits",
                title,
                status,
                f"size {size} (GetAudience)",
                "" if size else "check its definition against the profiles",
                "" if size else where,
                {"audiences": 1, "members": size},
            )
        elif key in carried:
            yield Check(
                check_id,
                "traits",
                title,
                "PASS",
                "at least one member (ListTraits)",
                counts={"audiences": 1},
            )
        else:
            yield Check(
                check_id,
                "traits",
                title,
                "WARN",
                "no member yet",
                "check its definition against the profiles",
                where,
                {"audiences": 1},
            )
    computed = {str(t.get("key")) for t in [*facts.computed_traits, *facts.audiences]}
    predicted = [t for t in facts.traits if is_predicted(t) and t.get("trait") not in computed]
    if predicted:
        names = ", ".join(sorted(str(t.get("trait")) for t in predicted))
        yield Check(
            "predictions",
            "traits",
            "Predictions",
            "PASS",
            f"ready: {names}",
            counts={"predictions": len(predicted)},
        )
    else:
        yield Check(
            "predictions",
            "traits",
            "Predictions",
            "WARN",
            "no prediction in the space's traits",
            "make the predictions (churn, LTV) once the space has enough events",
            "Segment app: Unify > Traits > Predictive traits",
        )


def profiles_sync(facts: Facts) -> Iterator[Check]:
    where = "Segment app: Unify > Profiles Sync"
    if not facts.profiles_warehouses:
        yield Check(
            "profiles-sync",
            "profiles-sync",
            "Profiles Sync",
            "WARN",
            "no Profiles Sync warehouse in the space",
            "set up Profiles Sync",
            where,
        )
        return
    for wh in facts.profiles_warehouses:
        schema = wh.get("schemaName") or "(default schema)"
        if wh.get("enabled"):
            yield Check(
                f"profiles-sync:{wh['id']}",
                "profiles-sync",
                "Profiles Sync",
                "PASS",
                f"enabled, to write to {schema}; whether a sync has written yet, the Public API "
                "does not say (the app's sync history does)",
                "",
                f"{where} > Sync history",
                {"warehouses": 1},
            )
        else:
            yield Check(
                f"profiles-sync:{wh['id']}",
                "profiles-sync",
                "Profiles Sync",
                "FAIL",
                f"the Profiles Sync warehouse ({schema}) is disabled",
                "enable it",
                where,
            )


def profile(facts: Facts) -> Iterator[Check]:
    where = "Segment app: Unify > Profile explorer; Twilio Studio: Search for a Profile"
    if facts.profile_token != "works" or facts.space is None:
        return
    if facts.user is None:
        yield Check(
            "profile",
            "profile",
            "Sample profile",
            "WARN",
            "no --user given and no profile carries a computed trait yet",
            "give --user user_id:<id> of a known customer",
            where,
        )
        return
    error = facts.errors.get("profile")
    if error or facts.profile is None:
        yield Check(
            "profile",
            "profile",
            f"Profile {facts.user}",
            "FAIL",
            error or f"the Profile API has no profile {facts.user!r} in this space",
            "check the identifier, and that its data reached the space",
            where,
        )
        return
    traits: Mapping[str, Any] = facts.profile.get("traits") or {}
    ids = facts.profile.get("externalIds") or []
    computed = [str(t.get("key")) for t in facts.computed_traits]
    with_values = [k for k in computed if k in traits]
    yield Check(
        "profile",
        "profile",
        f"Profile {facts.user}",
        "PASS",
        f"as Studio's Search for a Profile reads it: {len(ids)} identifiers, "
        f"{len(traits)} traits ({len(with_values)} of {len(computed)} computed traits)",
        counts={"profiles": 1},
    )


def app_steps(facts: Facts, checks: list[Check]) -> Iterator[Check]:
    """The steps only Segment's app or Twilio's Console can take: done where the data shows
    it, unknown where no API shows it. A step shown not done has its own failed check."""
    by_prefix = {c.id: c.status for c in checks}

    def status_of(prefix: str) -> str | None:
        found = [s for i, s in by_prefix.items() if i.startswith(prefix)]
        if not found:
            return None
        return "done" if all(s == "PASS" for s in found) else "not done"

    steps: dict[str, str | None] = {}
    labels = _pending(facts) or list(DEFAULT_STEPS)
    for label in labels:
        prefix = next((p for words, p in STEP_EVIDENCE if words in label.lower()), None)
        steps[label] = status_of(prefix) if prefix else None
    done = [s for s, v in steps.items() if v == "done"]
    not_done = [s for s, v in steps.items() if v == "not done"]
    unknown = [s for s, v in steps.items() if v is None]
    seen = f"unknown (no API shows it): {'; '.join(unknown) or 'none'}; done: {'; '.join(done)}"
    if not_done:
        yield Check(
            "app-steps",
            "app-steps",
            "Steps in Segment's app",
            "WARN",
            f"not done: {'; '.join(not_done)}; {seen}",
            "take the steps the failed checks name",
            "Segment app; Twilio Console",
            {"done": len(done), "unknown": len(unknown)},
        )
    else:
        yield Check(
            "app-steps",
            "app-steps",
            "Steps in Segment's app",
            "PASS",
            seen,
            counts={"done": len(done), "unknown": len(unknown)},
        )


# Words of a step (the stack's pendingSteps, or the defaults) -> the checks whose data shows it.
STEP_EVIDENCE = (
    ("to twilio", "flex-event"),
    ("sources to the unify space", "space-source:"),
    ("sign in to salesforce", "salesforce:"),
    ("warehouse's first sync", "salesforce:"),
    ("prediction", "predictions"),
    ("profile api token", "profile-api-token"),
)
DEFAULT_STEPS = (
    "Generate the space's Profile API token",
    "Connect the Unify space to Twilio",
    "Connect the stack's sources to the Unify space",
    "Sign in to Salesforce",
    "Wait for the warehouse's first sync",
    "Make the predictions",
    "Review the space's identity resolution rules",
)


# The stack's outputs that hold Segment ids -> what doctor read them among.
STACK_IDS = {
    "sourceIds": "sources",
    "salesforceSourceId": "sources",
    "reverseEtlSourceId": "sources",
    "warehouseId": "warehouses",
    "destinationId": "destinations",
    "reverseEtlModelIds": "models",
    "sendIdentifySubscriptionIds": "subscriptions",
    "computedTraitIds": "computed_traits",
    "profilesWarehouseId": "profiles_warehouses",
}


def stack_ids(facts: Facts) -> Iterator[Check]:
    """With ``--stack``: every object the stack's outputs name is still in Segment."""
    if facts.stack_outputs is None:
        return
    missing, found = [], 0
    for output, kind in STACK_IDS.items():
        value = facts.stack_outputs.get(output)
        ids = value.values() if isinstance(value, Mapping) else [value] if value else []
        held = {str(obj.get("id")) for obj in getattr(facts, kind)}
        for object_id in map(str, ids):
            if object_id in held:
                found += 1
            else:
                missing.append(f"{output} {object_id}")
    if missing:
        yield Check(
            "stack-ids",
            "app-steps",
            "The stack's objects",
            "FAIL",
            f"not in Segment: {', '.join(missing)}",
            "run `pulumi refresh`, then `pulumi up` to make them again",
            "the stack (pulumi refresh; pulumi up)",
            {"missing": len(missing)},
        )
    else:
        yield Check(
            "stack-ids",
            "app-steps",
            "The stack's objects",
            "PASS",
            f"all {found} objects the stack's outputs name are in Segment",
            counts={"objects": found},
        )


def _pending(facts: Facts) -> list[str]:
    steps = (facts.stack_outputs or {}).get("pendingSteps") or []
    return [str(s.get("what")) for s in steps if isinstance(s, Mapping) and s.get("what")]
