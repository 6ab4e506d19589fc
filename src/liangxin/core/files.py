"""Uploads: a size limit enforced while the request streams in, before anything is kept."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload past LIANGXIN_MAX_UPLOAD_BYTES and marks the request.

    Views look at `request.upload_too_large` to tell the person the limit, instead of a bare
    "this field is required" for a file that was dropped.
    """

    # Past this declared size the rest of the body is not even read through: the connection is cut.
    DRAIN_LIMIT = 256 * 1024 * 1024
    request_length = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length or 0
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = settings.LIANGXIN_MAX_UPLOAD_BYTES

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            # The form fields before the file (CSRF token, jurisdiction) are parsed already, so the
            # view can answer with the limit; the rest of the body is drained, not kept.
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=self.request_length > self.DRAIN_LIMIT)
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_too_large(request) -> bool:
    return bool(getattr(request, "upload_too_large", False))


def upload_limit_text() -> str:
    """The upload limit as people say it: "20 MB"."""
    megabytes = settings.LIANGXIN_MAX_UPLOAD_BYTES / (1024 * 1024)
    return f"{megabytes:g} MB"
