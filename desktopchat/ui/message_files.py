"""The part under a user message that shows its attachments: thumbnails and names.

Images are shown as thumbnails (from the ThumbnailCache: a grey box until decoded off the
UI thread) that link to `action:open-attachment/<n>`; other files as their name and size.
Names are escaped: a file name is untrusted text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from desktopchat.attachments import Attachment, Kind, human_size
from desktopchat.ui.attachment_thumbs import THUMB_SIZE, ThumbnailCache
from desktopchat.ui.i18n import translate
from desktopchat.ui.markdown import ACTION_SCHEME
from desktopchat.ui.render_body import Part, new_document
from desktopchat.ui.theme import Theme

OPEN_ATTACHMENT = "open-attachment"


def _placeholder() -> QImage:
    image = QImage(THUMB_SIZE, THUMB_SIZE * 3 // 4, QImage.Format.Format_ARGB32)
    image.fill(QColor(128, 128, 128, 60))
    return image


def files_part(attachments: Sequence[Attachment], theme: Theme, css: str,
               thumbnails: ThumbnailCache | None,
               old_key: tuple[object, ...]) -> tuple[tuple[object, ...], Part] | None:
    """(key, part) for these attachments, or None when `old_key` still describes them."""
    thumbs = [thumbnails.get(a.sha256, a.data) if thumbnails and a.kind is Kind.IMAGE
              else None for a in attachments]
    key = tuple((a.sha256, a.name, t is not None) for a, t in zip(attachments, thumbs,
                                                                    strict=True))
    if key == old_key:
        return None
    doc = new_document(theme)
    images, files = [], []
    for n, (attachment, thumb) in enumerate(zip(attachments, thumbs, strict=True)):
        label = html.escape(f"{attachment.name} · {human_size(attachment.size)}")
        if attachment.kind is Kind.IMAGE:
            url = f"attachment-thumb-{n}"
            doc.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url),
                            thumb if thumb is not None else _placeholder())
            images.append(
                f'<td><a href="{ACTION_SCHEME}:{OPEN_ATTACHMENT}/{n}" title="{label}">'
                f'<img src="{url}"></a><br><span style="color: {theme.muted}">{label}'
                "</span></td>")
        else:
            attached = html.escape(translate("MessageFiles", "Attached: {file}")).format(
                file=label)
            files.append(f'<span style="color: {theme.muted}">{attached}</span>')
    body = ""
    if images:
        body += f'<table cellspacing="6" cellpadding="0"><tr>{"".join(images)}</tr></table>'
    if files:
        body += "<br>".join(files)
    doc.setDefaultStyleSheet(css)
    doc.setHtml(body)
    return key, Part("attachments", doc)
