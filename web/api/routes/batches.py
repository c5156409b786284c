"""Batch jobs (admin or core): the history, one batch, and a request to run one now, as the Batch jobs page."""

from __future__ import annotations

from fastapi import APIRouter

from engagement import admin as core
from web.api import cursors
from web.api.auth import StaffDep
from web.api.cursors import CursorQuery
from web.api.models import BatchesOut, BatchOut, BatchRequested
from web.routes.community import PageQuery

router = APIRouter(prefix="/communities/{guild_id}/batches")


@router.get("")
async def batches(viewer: StaffDep, page: PageQuery = 1, cursor: CursorQuery = None) -> BatchesOut:
    shown = await core.batch_history(viewer.services.store, cursors.page_of("batches", cursor, page))
    return BatchesOut.model_validate({**cursors.paging("batches", shown), "batches": shown.batches})


@router.post("", status_code=202)
async def run_batch(viewer: StaffDep) -> BatchRequested:
    """Queue a batch for the worker (audited as `batch-run`); refused (409) while one runs or one is queued."""
    await core.request_batch_run(viewer.services.store, viewer.actor)
    return BatchRequested(detail="Batch requested: the worker starts it within seconds.")


@router.get("/{batch_id}")
async def batch(viewer: StaffDep, batch_id: int) -> BatchOut:
    return BatchOut.model_validate(await core.batch_details(viewer.services.store, batch_id))
