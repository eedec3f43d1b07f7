from celery import shared_task


@shared_task(acks_late=True)
def run_product_import(job_id: int) -> None:
    from dashboard.catalogue.imports import import_job_run

    import_job_run(job_id=job_id)
