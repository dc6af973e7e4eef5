"""Run inside `cadre shell` on a file SQLite database (see test_invoice_numbering_concurrency.py): several
threads generate invoices at the same moment; prints the numbers as JSON."""

import datetime as dt
import json
import threading
from decimal import Decimal

from django.db import connection

from cadre.clients.models import Client
from cadre.core.models import User
from cadre.people.models import Person
from cadre.pipeline.models import Application
from cadre.placements import invoice_services
from cadre.placements.models import Invoice, Placement, RateCard, Timesheet, TimesheetEntry
from cadre.requisitions.models import Requisition
from cadre.taxonomy.models import RoleFamily

WRITERS = 6
MONDAY = dt.date(2026, 3, 2)
recruiter = User.objects.create_user(username="rita", password="x-very-long-pass", role="recruiter")
clients = []
for i in range(WRITERS):
    client = Client.objects.create(name=f"Client {i}")
    requisition = Requisition.objects.create(
        client=client, title=f"Role {i}", role_family=RoleFamily.objects.first()
    )
    person = Person.objects.create(full_name=f"Worker {i}")
    application = Application.objects.create(
        person=person, requisition=requisition, stage_changed_at=dt.datetime.now(dt.UTC)
    )
    placement = Placement.objects.create(
        application=application, client=client, engagement_type="contract", start_date=MONDAY, status="active"
    )
    RateCard.objects.create(
        placement=placement,
        effective_from=MONDAY,
        pay_regular=Decimal(50),
        pay_overtime=Decimal(75),
        pay_double=Decimal(100),
        bill_regular=Decimal(80),
        bill_overtime=Decimal(120),
        bill_double=Decimal(160),
    )
    sheet = Timesheet.objects.create(placement=placement, week_start=MONDAY, status="approved")
    TimesheetEntry.objects.create(timesheet=sheet, work_date=MONDAY, regular_hours=Decimal(8))
    clients.append(client)
connection.close()

barrier = threading.Barrier(WRITERS)
errors = []


def write(client):
    try:
        barrier.wait()
        invoice_services.generate_invoice(recruiter, client, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    except BaseException as exc:
        errors.append(repr(exc))
    finally:
        connection.close()


threads = [threading.Thread(target=write, args=(c,)) for c in clients]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"errors": errors, "numbers": sorted(Invoice.objects.values_list("number", flat=True))}))
