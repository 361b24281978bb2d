"""``uploadToken`` add / upload / get / delete with the chunk rules of §10.2."""

from __future__ import annotations

from typing import Any

from .._errors import ApiError
from .._ks import KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER, KIND_VENDOR
from .._params import to_bool, to_float
from .._registry import Call, action, out
from .._store import (
    UPLOAD_CLOSED,
    UPLOAD_FULL,
    UPLOAD_PARTIAL,
    UPLOAD_PENDING,
    State,
    UploadTokenRecord,
)
from .assets import finalize_asset

USERS = frozenset({KIND_ACCESS_KEY, KIND_ADMIN, KIND_USER, KIND_VENDOR})


def _token(call: Call, token_id: str) -> UploadTokenRecord:
    token = call.state.upload_tokens.get(token_id)
    user = call.session.user_id if call.session else ""
    if token is None or token.data["partnerId"] != call.partner_id or token.data["userId"] != user:
        raise ApiError("UPLOAD_TOKEN_NOT_FOUND")
    if token.data["status"] == 5:
        raise ApiError("UPLOAD_TOKEN_NOT_FOUND")
    return token


def _assemble(chunks: dict[int, bytes]) -> tuple[bytes, bool]:
    """Contiguous bytes from offset 0 and whether every chunk was used (no gaps)."""
    buffer = bytearray()
    complete = True
    for offset in sorted(chunks):
        data = chunks[offset]
        if offset > len(buffer):
            complete = False
            break
        buffer[offset : offset + len(data)] = data
    return bytes(buffer), complete


def complete_token(state: State, token: UploadTokenRecord, content: bytes) -> None:
    """FULL_UPLOAD; assets waiting for this token get their content (then CLOSED)."""
    token.content = content
    token.data["status"] = UPLOAD_FULL
    for kind, asset_id in token.pending:
        asset = state.assets.get(asset_id)
        if asset is not None and asset.kind == kind:
            finalize_asset(state, asset, content)
            token.data["status"] = UPLOAD_CLOSED
    token.pending.clear()


@action("uploadtoken", "add", allow=USERS)
def upload_token_add(call: Call) -> Any:
    """Create an upload token (PENDING)."""
    sent = call.obj("uploadToken") or {}
    file_size = to_float(sent.get("fileSize"))
    auto_finalize = to_bool(sent.get("autoFinalize"))
    if auto_finalize and str(sent.get("autoFinalize")) != "-1" and not file_size:
        raise ApiError("UPLOAD_TOKEN_MISSING_FILE_SIZE")
    now = call.state.now()
    data = {
        "id": f"1_{call.state.new_token_id()}",
        "partnerId": call.partner_id,
        "userId": call.session.user_id if call.session else "",
        "status": UPLOAD_PENDING,
        "fileName": sent.get("fileName"),
        "fileSize": file_size,
        "uploadedFileSize": 0.0,
        "createdAt": now,
        "updatedAt": now,
        "uploadUrl": call.base_url,
        "autoFinalize": 1 if auto_finalize and str(sent.get("autoFinalize")) != "-1" else None,
        "objectType": "KalturaUploadToken",
    }
    call.state.upload_tokens[str(data["id"])] = UploadTokenRecord(data=data)
    return out(data)


@action("uploadtoken", "upload", allow=USERS)
def upload_token_upload(call: Call) -> Any:
    """Receive one chunk: ``resume=0`` first, then ``resume=1`` + ``resumeAt``; ``finalChunk``."""
    token = _token(call, call.req_str("uploadTokenId"))
    if token.data["status"] not in (UPLOAD_PENDING, UPLOAD_PARTIAL):
        raise ApiError("UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD")
    upload = call.file("fileData")
    if upload is None:
        raise ApiError("MISSING_MANDATORY_PARAMETER", "fileData")
    if not token.data.get("fileName"):
        # Set by the first upload call when ``add`` gave none (server kUploadTokenMgr::
        # uploadFileToToken → updateFileName), from ``$_FILES`` where PHP keeps only the base
        # name (``_params.php_basename``).
        token.data["fileName"] = upload.filename or None
    resume = call.get_bool("resume", False)
    final = call.get_bool("finalChunk", True)
    resume_at = call.get_float("resumeAt")
    if not resume:
        token.chunks = {0: upload.data}
    else:
        current, _ = _assemble(token.chunks)
        offset = len(current) if resume_at is None or resume_at < 0 else int(resume_at)
        token.chunks[offset] = upload.data
    assembled, complete = _assemble(token.chunks)
    token.data["uploadedFileSize"] = float(len(assembled))
    token.data["updatedAt"] = call.state.now()
    expected = token.data.get("fileSize")
    if token.data.get("autoFinalize") and expected and len(assembled) >= expected:
        final = True
    if final:
        if not complete or (expected and int(expected) != len(assembled)):
            token.data["status"] = UPLOAD_PARTIAL
            raise ApiError("UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE")
        complete_token(call.state, token, assembled)
    else:
        token.data["status"] = UPLOAD_PARTIAL
    return out(token.data)


@action("uploadtoken", "get", allow=USERS)
def upload_token_get(call: Call) -> Any:
    """Get an upload token."""
    return out(_token(call, call.req_str("uploadTokenId")).data)


@action("uploadtoken", "delete", allow=USERS)
def upload_token_delete(call: Call) -> Any:
    """Delete an upload token."""
    _token(call, call.req_str("uploadTokenId")).data["status"] = 5
    return None
