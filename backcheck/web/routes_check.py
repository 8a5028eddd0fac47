"""Check my back: a free-text report or a guided questionnaire, then the result page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from backcheck.errors import InputError
from backcheck.web import extras, pdf, summary, views
from backcheck.web.asking import Asking, red_flag_ids
from backcheck.web.security import checked_form
from backcheck.web.service import MAX_TEXT, run_next_question, run_triage
from backcheck.web.templating import render

router = APIRouter(include_in_schema=False)
CheckId = Annotated[int, PathParam(ge=1, le=2**53)]
Form = Annotated[FormData, Depends(checked_form)]
ANSWER_PREFIX = "a_"
CHOICES = ("yes", "no", "unsure")


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    store = request.app.state.store
    return render(request, "home.html", {"checks": store.list_checks()[:5]})


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request) -> Response:
    return render(request, "check.html", {"text": "", "error": None})


def _text_of(form: FormData) -> str:
    text = str(form.get("text") or "").strip()
    if len(text) > MAX_TEXT:
        raise InputError(f"The report is {len(text)} characters long; keep it under {MAX_TEXT}.")
    return text


@router.post("/check/text")
async def check_text(request: Request, form: Form) -> Response:
    text = _text_of(form)
    if not text:
        return render(
            request,
            "check.html",
            {
                "text": "",
                "error": "Write a few words about what happened, or answer the questions.",
            },
            status=400,
        )
    return await _assess_and_store(request, "text", text, {}, bool(form.get("use_log")))


def _answers_of(form: FormData) -> dict[str, str]:
    answers = {}
    for key, value in form.multi_items():
        if key.startswith(ANSWER_PREFIX) and value in CHOICES:
            answers[key.removeprefix(ANSWER_PREFIX)[:80]] = str(value)
    return answers


def _question_page(
    request: Request, text: str, answers: dict[str, str], asking: Asking, training: bool
) -> Response:
    return render(
        request,
        "questions.html",
        {
            "question": asking.question,
            "asking": asking,
            "training": training,
            "answers": answers,
            "text": text,
            "prefix": ANSWER_PREFIX,
        },
    )


@router.get("/check/questions", response_class=HTMLResponse)
async def questions_start(
    request: Request, from_check: Annotated[int | None, Query(ge=1, le=2**53)] = None
) -> Response:
    """The first open question; from a result, its report and answers are carried on."""
    text, answers = "", {}
    if from_check:
        check = request.app.state.store.get_check(from_check)
        if check is not None:
            text, answers = check.text or "", dict(check.answers or {})
    asking = await run_next_question(answers, text or None)
    return _question_page(request, text, answers, asking, False)


@router.post("/check/questions")
async def questions_next(request: Request, form: Form) -> Response:
    """Record one answer; ask the next question, or show the result when nothing is left.

    A "yes" to a warning sign shows the result at once: its advice (go to an emergency
    department, see a doctor today) must not wait behind the remaining questions."""
    text = _text_of(form)
    answers = _answers_of(form)
    qid, answer = str(form.get("question_id") or "")[:80], form.get("answer")
    if qid and answer in CHOICES:
        answers[qid] = str(answer)
    warning_sign = answer == "yes" and qid in red_flag_ids()
    finished = form.get("action") == "finish" or warning_sign
    training = bool(form.get("training"))
    asking = await run_next_question(answers, text or None, training)
    more = asking.question is not None or asking.training_left > 0
    if (more and not finished) or not (answers or text):
        return _question_page(request, text, answers, asking, training)
    return await _assess_and_store(
        request, "questionnaire", text, answers, bool(form.get("use_log"))
    )


async def _assess_and_store(
    request: Request, mode: str, text: str, answers: dict[str, str], use_log: bool
) -> Response:
    app = request.app
    extra = extras.extra_findings(app) if use_log else []
    result = await run_triage(text or None, answers or None, extra)
    check_id = app.state.store.add_check(mode, text or None, answers, result)
    return RedirectResponse(f"/check/{check_id}", status_code=303)


def _check_or_404(request: Request, check_id: int) -> Any:
    check = request.app.state.store.get_check(check_id)
    if check is None:
        raise HTTPException(404, "This check does not exist (it may have been deleted).")
    return check


def _result_context(check: Any) -> dict[str, Any]:
    result = check.result
    return {
        "check": check,
        "r": result,
        "plan": result.get("plan") or {},
        "segments": views.highlight(check.text or "", result),
        "sources": views.sources_by_id(result),
    }


@router.get("/check/{check_id}", response_class=HTMLResponse)
async def result_page(request: Request, check_id: CheckId) -> Response:
    """Async on purpose: one indexed read and a render (~3 ms) cost less on the event loop,
    first come first served, than a hop to a worker thread that then fights for the GIL."""
    check = _check_or_404(request, check_id)
    return render(request, "result.html", _result_context(check))


@router.get("/check/{check_id}/print", response_class=HTMLResponse)
def print_page(request: Request, check_id: CheckId) -> Response:
    check = _check_or_404(request, check_id)
    sections = summary.sections(check.text, check.answers, check.result, check.created_at)
    return render(request, "summary.html", {**_result_context(check), "summary_sections": sections})


@router.get("/check/{check_id}/summary.pdf")
async def summary_pdf(request: Request, check_id: CheckId) -> Response:
    check = _check_or_404(request, check_id)
    data = await run_in_threadpool(
        pdf.summary_pdf, check.text, check.answers, check.result, check.created_at
    )
    return Response(
        data,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="backcheck-summary-{check_id}.pdf"'},
    )


@router.post("/check/{check_id}/delete")
def delete_check(request: Request, check_id: CheckId, form: Form) -> Response:
    request.app.state.store.delete_check(check_id)
    return RedirectResponse("/history", status_code=303)
