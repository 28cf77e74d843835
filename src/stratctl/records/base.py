"""The base every record model shares: strict types, unknown keys refused."""

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """A part of a record file. Unknown keys are errors; nothing is coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
