"""Background steps of payouts. Each takes ids, re-reads state and is safe to run twice."""

import logging

from celery import shared_task

from payouts.disbursement import DisbursementTemporaryError
from payouts.services import create_weekly_payouts as create_weekly_payouts_service
from payouts.services import payout_disburse

logger = logging.getLogger(__name__)


@shared_task
def create_weekly_payouts() -> dict:
    """Celery beat, weekly: this ISO week's payout batch. A second run in the same week creates nothing."""
    run = create_weekly_payouts_service()
    logger.info(
        "Payout batch %s: %s payouts created, %s pesantren skipped (new batch: %s)",
        run.batch.week,
        len(run.payouts),
        len(run.skipped),
        run.created,
    )
    return {
        "batch": run.batch.week,
        "created": run.created,
        "payouts": [payout.pk for payout in run.payouts],
        "skipped": [entry["seller_id"] for entry in run.skipped],
    }


@shared_task(
    autoretry_for=(DisbursementTemporaryError, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_kwargs={"max_retries": 8},
)
def disburse_payout(payout_id: int) -> None:
    payout_disburse(payout_id=payout_id)
