import pytest
from django.conf import settings
from django.core import mail

from quotes.models import Quote, QuoteStatus, RequestForQuotation, RfqEvent, RfqEventKind, RfqStatus
from quotes.tasks import expire_quotes
from quotes.tests.helpers import in_days, make_company, make_quote, make_rfq
from tests.factories import make_region_tree, make_seller

pytestmark = pytest.mark.django_db


def backdate(model, obj, **fields):
    model.objects.filter(pk=obj.pk).update(**fields)
    obj.refresh_from_db()


def test_expire_quotes_is_scheduled_by_beat():
    assert settings.CELERY_BEAT_SCHEDULE["expire-quotes"]["task"] == "quotes.tasks.expire_quotes"


def test_quotes_past_their_validity_expire_once_and_lapsed_requests_close(django_capture_on_commit_callbacks):
    # given
    regions = make_region_tree()
    alfa, bravo = make_seller(regions=regions), make_seller(regions=regions)
    alfa.email = "alfa@example.com"
    alfa.save()
    company = make_company()
    # a request whose only quote lapsed, after its quotes were due: nobody can award it any more
    lapsed = make_rfq(company=company, seller=alfa)
    stale = make_quote(rfq=lapsed, seller=alfa)
    backdate(Quote, stale, valid_until=in_days(-1))
    backdate(RequestForQuotation, lapsed, quotes_due=in_days(-2))
    # a request past its due date with a quote still valid: the company may still accept it
    deciding = make_rfq(company=company, seller=bravo)
    valid = make_quote(rfq=deciding, seller=bravo, valid_until=in_days(3))
    backdate(RequestForQuotation, deciding, quotes_due=in_days(-1))
    # a request still taking quotes, with no quote yet
    fresh = make_rfq(company=company, seller=alfa)
    # a request past its delivery date, with a live quote: closed, and the quote with it
    late = make_rfq(company=company, seller=alfa)
    late_quote = make_quote(rfq=late, seller=alfa)
    backdate(RequestForQuotation, late, quotes_due=in_days(-5), delivery_date=in_days(-1))
    mail.outbox.clear()

    # when the beat job runs twice (its emails are queued on commit)
    with django_capture_on_commit_callbacks(execute=True):
        first = expire_quotes()
        second = expire_quotes()

    # then the first run did the work and the second found none
    assert first == {"expired": 1, "closed": 2}
    assert second == {"expired": 0, "closed": 0}
    statuses = {quote.pk: quote.status for quote in Quote.objects.all()}
    assert statuses == {
        stale.pk: QuoteStatus.EXPIRED,
        valid.pk: QuoteStatus.SUBMITTED,
        late_quote.pk: QuoteStatus.CLOSED,
    }
    rfq_statuses = dict(RequestForQuotation.objects.values_list("pk", "status"))
    assert rfq_statuses == {
        lapsed.pk: RfqStatus.CLOSED,
        deciding.pk: RfqStatus.OPEN,
        fresh.pk: RfqStatus.OPEN,
        late.pk: RfqStatus.CLOSED,
    }
    assert RfqEvent.objects.filter(kind=RfqEventKind.QUOTE_EXPIRED).count() == 1
    assert RfqEvent.objects.filter(kind=RfqEventKind.CLOSED).count() == 2
    # the pesantren whose live quote closed with its request was told, once
    assert [message.to for message in mail.outbox] == [["alfa@example.com"]]
    assert late.reference in mail.outbox[0].subject
