from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spil.access import policy
from spil.core.errors import DomainError
from spil.imports import samples, services
from spil.imports.columns import columns
from spil.imports.forms import UploadForm
from spil.imports.models import BatchStatus, ImportBatch, ImportedRow, ImportKind
from spil.intake.models import Report
from spil.logbook.models import AuditEvent
from spil.logbook.services import audit
from spil.web.forms import attempt
from spil.web.listing import paginate


def visible_batch(request, pk) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.visible_to(request.user).select_related("house", "uploaded_by", "confirmed_by"), pk=pk)


def _houses(request):
    houses = policy.houses_for(request.user, "report.import")
    if not houses.exists():
        raise PermissionDenied("U heeft geen rechten om meldingen in bulk te importeren.")
    return houses


@login_required
def index(request):
    """Upload a file, download the samples, and the house's earlier imports."""
    houses = _houses(request)
    form = UploadForm(request.POST or None, request.FILES or None, houses=houses)
    earlier = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.upload(actor=request.user, house=data["house"], kind=data["kind"], uploaded=data["file"])
        except services.AlreadyUploaded as error:
            form.add_error("file", error.message)
            earlier = error.batch
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            if batch.status == BatchStatus.VALIDATED:
                messages.success(
                    request,
                    f"Het bestand is gecontroleerd: {batch.row_count} rijen zonder fouten. Controleer het voorbeeld en bevestig de import.",
                )
            else:
                messages.error(request, "Het bestand bevat fouten; er is niets geïmporteerd. Verbeter het bestand en upload het opnieuw.")
            return redirect("imports:detail", pk=batch.pk)
    batches = ImportBatch.objects.visible_to(request.user).select_related("house", "uploaded_by")
    return render(
        request,
        "imports/index.html",
        {
            "form": form,
            "earlier": earlier,
            "page_obj": paginate(request, batches),
            "kinds": [(kind, columns(kind)) for kind in ImportKind],
        },
    )


@login_required
def sample(request, kind, fmt):
    _houses(request)
    if kind not in ImportKind.values or fmt not in ("csv", "xlsx"):
        raise Http404("Onbekend sjabloon.")
    return samples.sample(kind, fmt)


@login_required
def detail(request, pk):
    batch = visible_batch(request, pk)
    page = None
    if batch.status == BatchStatus.IMPORTED:
        # Numbers only, of the meldingen the user may (still) see: a melding forwarded to another house drops out.
        imported = ImportedRow.objects.filter(batch=batch, report__in=Report.objects.visible_to(request.user))
        page = paginate(request, imported.select_related("report"))
    elif batch.status in (BatchStatus.REJECTED, BatchStatus.FAILED):
        page = paginate(request, batch.errors.all())
    if batch.preview or (page is not None and batch.status != BatchStatus.IMPORTED and page.object_list):
        # Cells of the file (names, dates, BSNs) are on the page, before they are meldingen with their own log.
        audit(AuditEvent.REQUEST, user=request.user, detail=f"Bulkimport {batch.number} ({batch.house}): voorbeeld en fouten ingezien")
    return render(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "page_obj": page,
            "done": batch.progress.done if batch.is_pending else batch.rows_imported,
            "can_import": policy.can(request.user, "report.import", batch.house),
            "background": batch.row_count > settings.IMPORT_BACKGROUND_ROWS,
        },
    )


@login_required
def progress(request, pk):
    """The progress part of the batch page, polled by htmx; once finished, the whole page reloads for the result."""
    batch = visible_batch(request, pk)
    if not request.headers.get("HX-Request"):
        return redirect("imports:detail", pk=batch.pk)
    if not batch.is_pending:
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "imports/_progress.html", {"batch": batch, "done": batch.progress.done})


@login_required
@require_POST
def confirm(request, pk):
    batch = visible_batch(request, pk)
    policy.require(request.user, "report.import", batch.house)

    try:
        result = services.confirm(batch, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if result.status == BatchStatus.QUEUED:
            messages.success(request, f"De import van {result.row_count} rijen is gestart; deze pagina toont de voortgang.")
        elif result.status == BatchStatus.IMPORTED:
            messages.success(request, f"{result.rows_imported} meldingen zijn geïmporteerd.")
        else:
            messages.error(request, "De import is mislukt; er is niets geïmporteerd. De reden staat hieronder.")
    return redirect("imports:detail", pk=batch.pk)


@login_required
@require_POST
def discard(request, pk):
    batch = visible_batch(request, pk)
    policy.require(request.user, "report.import", batch.house)
    attempt(
        request,
        lambda: services.discard(batch, actor=request.user),
        lambda result: (
            "De import is geannuleerd en het bestand is verwijderd."
            if result.status == BatchStatus.CANCELLED
            else "De fouten en het voorbeeld zijn gewist."
        ),
    )
    return redirect("imports:detail", pk=batch.pk)
