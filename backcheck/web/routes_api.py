"""The JSON API under `/api` (described by `/openapi.json`) and `/healthz`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field, model_validator

from backcheck.intake.questionnaire import all_questions
from backcheck.web.service import MAX_TEXT, run_triage

router = APIRouter()
Answer = Literal["yes", "no", "unsure"]
LevelId = Literal["normal", "self_care", "soon", "urgent", "emergency"]


QUESTION_IDS = tuple(q.id for q in all_questions())
QuestionId = Literal[QUESTION_IDS]  # type: ignore[valid-type]
# Control, private-use and replacement characters: what intake reads as binary data.
_C = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd"
READABLE = rf"^[^{_C}]*[^\s{_C}][^{_C}]*$"  # some words, and no control characters


class TriageRequest(BaseModel):
    """A report in the lifter's words, questionnaire answers, or both."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"anyOf": [{"required": ["text"]}, {"required": ["answers"]}]},
    )
    # Not nullable in the schema: leave a field out rather than sending null.
    text: str = Field(
        None,
        min_length=1,
        max_length=MAX_TEXT,
        pattern=READABLE,
        description="What happened, in words.",
    )
    answers: dict[QuestionId, Answer] = Field(
        None, min_length=1, description="Question id -> yes / no / unsure."
    )

    @model_validator(mode="after")
    def _something_to_triage(self) -> TriageRequest:
        if not self.text and not self.answers:
            raise ValueError("give a non-empty 'text' or at least one answer in 'answers'")
        return self


class KindOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    score: float = Field(ge=0, le=1)


class FindingOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    assertion: Literal["present", "absent", "uncertain", "historical", "hypothetical"]


class TriageOut(BaseModel):
    """The triage contract (triage-output.schema.json) plus questions, reasons and the plan."""

    model_config = ConfigDict(extra="allow")
    level: LevelId
    kinds: list[KindOut] = Field(min_length=1)
    red_flags: list[str]
    factors: list[str]
    findings: list[FindingOut] = []


class Health(BaseModel):
    status: Literal["ok"]


class JobOut(BaseModel):
    id: int
    status: str
    progress: float
    message: str


@router.get("/healthz", response_model=Health, tags=["meta"])
def healthz(request: Request) -> dict[str, str]:
    """200 once the app is ready: it only starts serving after the language pipeline has
    loaded, and the database must answer."""
    request.app.state.store.ping()
    return {"status": "ok"}


@router.post(
    "/api/triage",
    response_model=TriageOut,
    tags=["triage"],
    responses={
        400: {"description": "Input that cannot be triaged"},
        422: {"description": "Malformed request"},
    },
)
async def api_triage(body: TriageRequest) -> dict[str, Any]:
    """Triage a report or questionnaire answers; not a diagnosis."""
    return await run_triage(body.text, body.answers)


@router.get(
    "/api/jobs/{job_id}",
    response_model=JobOut,
    tags=["form"],
    responses={404: {"description": "No such job"}},
)
def api_job(job_id: Annotated[int, PathParam(ge=1, le=2**53)], request: Request) -> dict[str, Any]:
    """Progress of a video analysis, polled by the form page."""
    video = request.app.state.store.get_video(job_id)
    if video is None:
        raise HTTPException(404, "no such video")
    return {
        "id": video.id,
        "status": video.status,
        "progress": video.progress,
        "message": video.message,
    }
