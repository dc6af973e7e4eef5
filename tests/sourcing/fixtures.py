"""Test documents generated on the fly (reportlab PDFs, python-docx files, zip bombs): no binary
fixtures are committed."""

from __future__ import annotations

import io
import zipfile

RESUME_LINES = [
    "Grace Hopper",
    "Senior ML Engineer",
    "grace.hopper@example.org | +1 415 555 0134 | github.com/ghopper | linkedin.com/in/grace-hopper",
    "",
    "Experience",
    "ML Engineer, Acme Robotics, 2019 - Present",
    "- Trained PyTorch models on Kubernetes",
    "Data Scientist at Initech, 2015 - 2019",
    "- Built scikit-learn pipelines in Python",
    "",
    "Education",
    "MSc Computer Science, Stanford University, 2015",
    "",
    "Skills",
    "Python, PyTorch, Kubernetes, Docker",
    "",
    "Publications",
    "- Compilers for neural networks (NeurIPS 2021)",
]


def resume_text(email: str = "grace.hopper@example.org") -> str:
    return "\n".join(RESUME_LINES).replace("grace.hopper@example.org", email)


def pdf_bytes(
    lines: list[str] | None = None,
    *,
    white: str = "",
    tiny: str = "",
    off_page: str = "",
    invisible: str = "",
    encrypt: str = "",
) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, encrypt=encrypt or None)
    y = 740
    for line in lines if lines is not None else RESUME_LINES:
        c.setFillColorRGB(0, 0, 0)
        c.setFont("Helvetica", 11)
        c.drawString(72, y, line)
        y -= 16
    if white:
        c.setFillColorRGB(1, 1, 1)
        c.drawString(72, 100, white)
    if tiny:
        c.setFillColorRGB(0, 0, 0)
        c.setFont("Helvetica", 0.5)
        c.drawString(72, 80, tiny)
    if off_page:
        c.setFillColorRGB(0, 0, 0)
        c.setFont("Helvetica", 11)
        c.drawString(900, 60, off_page)
    if invisible:
        t = c.beginText(72, 50)
        t.setTextRenderMode(3)
        t.textLine(invisible)
        c.drawText(t)
    c.showPage()
    c.save()
    return buf.getvalue()


def image_only_pdf() -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.rect(72, 72, 200, 200, fill=1)  # drawn shapes, no text: what a scan looks like to a parser
    c.showPage()
    c.save()
    return buf.getvalue()


def docx_bytes(lines: list[str] | None = None, *, vanish: str = "", white: str = "", tiny: str = "") -> bytes:
    import docx
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    for line in lines if lines is not None else RESUME_LINES:
        document.add_paragraph(line)
    p = document.add_paragraph("Interests: chess")
    if vanish:
        run = p.add_run(" " + vanish)
        run.font.hidden = True
    if white:
        run = p.add_run(" " + white)
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    if tiny:
        run = p.add_run(" " + tiny)
        run.font.size = Pt(1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Languages"
    table.rows[0].cells[1].text = "English"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def zip_bomb_docx() -> bytes:
    """A .docx-looking zip whose document.xml expands ~1000x (200 MB of zeros would be the real thing;
    the ratio check fires long before, so 20 MB is enough)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    return buf.getvalue()


def json_resume(email: str = "ada@example.org") -> dict:
    return {
        "basics": {
            "name": "Ada Lovelace",
            "label": "Research engineer",
            "email": email,
            "phone": "+44 20 7946 0958",
            "location": {"city": "London", "countryCode": "GB"},
            "profiles": [{"network": "GitHub", "username": "adal"}],
        },
        "work": [
            {
                "name": "Analytical Engines Ltd",
                "position": "ML Engineer",
                "startDate": "2020-01-01",
                "endDate": "2023-06-30",
                "highlights": ["Served LLMs with vLLM and TensorRT"],
            }
        ],
        "education": [
            {
                "institution": "University of London",
                "area": "Mathematics",
                "studyType": "PhD",
                "endDate": "2019",
            }
        ],
        "skills": [{"name": "Machine learning", "keywords": ["PyTorch", "JAX"]}],
        "publications": [{"name": "Notes on the Analytical Engine"}],
    }
