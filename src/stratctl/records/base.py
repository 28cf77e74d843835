"""The base every record model shares: strict types, unknown keys refused."""

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """A part of a record file. Unknown keys are errors; nothing is coerced."""

    # No NaN or infinity: YAML can write .nan and .inf, but a measure or tolerance of either means nothing.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)
