"""The admin "报告" page: every report with its state, upload, removal, and the index update's progress bar.

An upload is checked (:func:`office.uploads.check_upload`) before anything is written; a
refusal leaves corpus and index as they were and says why in Chinese. An accepted upload
or a removal starts an incremental index update in the background
(:class:`office.updater.IndexUpdater`); a ``gr.Timer`` polls it into the progress bar and
refreshes the list when it ends, while questions go on being answered from the live
index. Every handler checks the admin role itself, and every change (refusals included)
is written to the audit log.

Usage::

    with gr.Tab("报告"):
        build_reports(place)
"""

from __future__ import annotations

import html
from dataclasses import asdict
from pathlib import Path

import gradio as gr

from core.errors import RemovalRejected, UploadRejected
from office.catalogue import COLUMNS, catalogue
from office.updater import UpdateState
from office.uploads import SUPPORTED_TEXT, check_upload
from office.workplace import Workplace
from ui.access import session
from ui.admin.fill import Fill

RUNNING_NOTE = "正在更新索引"
"""What the result line of an upload or removal says until its index update ends."""
STATE_WORDS = {"idle": "索引就绪（没有正在进行的更新）", "running": "正在更新索引", "done": "索引已更新",
               "failed": "索引更新失败"}


def progress_html(state: UpdateState) -> str:
    """The progress bar and its line; ``data-state`` lets a test (or a script) see when the update ended.

    >>> ["<progress" in progress_html(UpdateState(state=s, progress=p)) for s, p in
    ...  (("running", 0.5), ("done", 1.0), ("failed", 0.0), ("idle", 0.0))]
    [True, True, False, False]
    """
    percent = round(state.progress * 100)
    line = f"{STATE_WORDS[state.state]}：{percent}%" if state.running else STATE_WORDS[state.state]
    message = state.message
    if message.startswith(line):  # "索引已更新（用时 11 秒）" under "索引已更新": said once
        line, message = message, ""
    details = [message, f"（{state.reason}）" if state.reason else "", state.error]
    shows_bar = state.state in ("running", "done")  # a failed update shows its reason, not a bar
    bar = f"<progress max='100' value='{percent}' style='width:100%'></progress>" if shows_bar else ""
    return (f"<div id='index-progress' data-state='{state.state}' data-runs='{state.runs}'>{bar}"
            f"<div><b>{html.escape(line)}</b> {html.escape(' '.join(d for d in details if d))}</div></div>")


def finished_line(shown: str, state: UpdateState) -> str:
    """The result line once the update it announced has ended: "…，正在更新索引。" → "…，索引已更新。".

    >>> finished_line("已上传“a.txt”（12 字节），正在更新索引。", UpdateState(state="done"))
    '已上传“a.txt”（12 字节），索引已更新。'
    """
    if RUNNING_NOTE not in shown:
        return shown
    return shown.replace(RUNNING_NOTE, "索引已更新" if state.state == "done" else "索引更新失败（见上方进度）")


def report_table(place: Workplace) -> list[list]:
    """The rows of the report list, for the index that answers now."""
    stored = place.live.current.retriever.stored
    return [row.cells() for row in catalogue(place.settings.corpus, stored.manifest, stored.chunks, place.digests)]


def build_reports(place: Workplace) -> Fill:
    """The page's components and events (in the current Blocks context); what to fill when an admin opens the app."""
    settings = place.settings
    limit = min(settings.upload_max_mb, settings.max_file_mb)
    table = gr.Dataframe(headers=COLUMNS, interactive=False, label="报告列表", elem_id="report-table", wrap=True,
                         column_widths=["24%", "34%", "6%", "7%", "6%", "11%", "12%"])
    progress = gr.HTML(progress_html(place.updater.state()), elem_id="index-progress-box")
    refresh = gr.Button("按报告文件夹更新索引（文件是直接放入或改动的）", size="sm", elem_id="report-refresh")
    with gr.Row():
        with gr.Column():
            upload = gr.File(label=f"上传报告（{SUPPORTED_TEXT}，最大 {limit:g} MB）", type="filepath",
                             elem_id="report-upload")
            save_as = gr.Textbox(label="保存为（可选，默认用原文件名）", elem_id="report-name")
            replace = gr.Checkbox(label="替换同名报告", value=False, elem_id="report-replace")
            send = gr.Button("上传并更新索引", variant="primary", elem_id="report-send")
        with gr.Column():
            doomed = gr.Dropdown([], label="要删除的报告", elem_id="report-remove-name", allow_custom_value=True)
            confirm = gr.Checkbox(label="确认删除（报告文件将从报告文件夹中删除）", value=False,
                                  elem_id="report-remove-ok")
            remove = gr.Button("删除报告并更新索引", variant="stop", elem_id="report-remove")
    result = gr.Markdown(elem_id="report-result")
    timer = gr.Timer(settings.progress_poll_s, active=False)

    def filled() -> tuple:
        """Table, removal choices, progress and the timer (running while an update is); after an admin check."""
        state = place.updater.state()
        return (report_table(place), gr.update(choices=place.corpus.names(), value=None), progress_html(state),
                gr.Timer(active=state.running))

    def reports(request: gr.Request) -> dict:
        """Every report with its state, and the index update's state (an API for scripts: admins only)."""
        session(place, request, need="admin", attempted="reports")
        stored = place.live.current.retriever.stored
        rows = catalogue(settings.corpus, stored.manifest, stored.chunks, place.digests)
        return {"reports": [asdict(row) for row in rows],
                "update": asdict(place.updater.state())}

    def send_upload(path: str | None, name: str, overwrite: bool, request: gr.Request):
        who = session(place, request, need="admin", attempted="upload",
                      target=str(name or "").strip() or (Path(path).name if path else ""))
        if not path:
            raise gr.Error("请先选择要上传的文件。")
        source = Path(path)
        wanted = (name or "").strip() or source.name
        try:
            checked = check_upload(source, wanted, settings)
            replaced = place.corpus.add(source, checked.name, replace=bool(overwrite))
        except UploadRejected as error:
            place.record(who, "upload", file=wanted, result="拒绝", reason=str(error))
            raise gr.Error(str(error), title="上传被拒绝") from None
        place.record(who, "upload", file=checked.name, size=checked.size, format=checked.format,
                     result="替换" if replaced else "新增")
        state = place.updater.request(f"上传 {checked.name}", by=who.user)
        message = f"已{'替换' if replaced else '上传'}“{checked.name}”（{checked.size} 字节），正在更新索引。"
        if checked.warning:
            message += f"注意：{checked.warning}。"
        return (message, None, "", False, report_table(place), gr.update(choices=place.corpus.names(), value=None),
                progress_html(state), gr.Timer(active=True))

    def send_removal(name: str | None, confirmed: bool, request: gr.Request):
        who = session(place, request, need="admin", attempted="remove", target=str(name or ""))
        if not name:
            raise gr.Error("请先选择要删除的报告。")
        if not confirmed:
            raise gr.Error("请勾选“确认删除”后再删除。")
        try:
            place.corpus.remove(name)
        except RemovalRejected as error:
            place.record(who, "remove", file=name, result="拒绝", reason=str(error))
            raise gr.Error(str(error), title="不能删除") from None
        place.record(who, "remove", file=name, result="已删除")
        state = place.updater.request(f"删除 {name}", by=who.user)
        return (f"已删除“{name}”，它将不再出现在回答中；正在更新索引。", False, report_table(place),
                gr.update(choices=place.corpus.names(), value=None), progress_html(state), gr.Timer(active=True))

    def send_refresh(request: gr.Request):
        """Update the index from the corpus folder as it is now: files copied in, changed or removed there
        directly (a shared folder), which no upload announced."""
        who = session(place, request, need="admin", attempted="index_update")
        state = place.updater.request("按报告文件夹更新", by=who.user)
        return f"{RUNNING_NOTE}：按报告文件夹中的文件。", progress_html(state), gr.Timer(active=True)

    def poll(shown: str, request: gr.Request):
        session(place, request, need="admin", attempted="index_progress")
        state = place.updater.state()
        if state.running:
            return progress_html(state), gr.update(), gr.update(), gr.update(), gr.Timer(active=True)
        return (progress_html(state), report_table(place), gr.update(choices=place.corpus.names(), value=None),
                finished_line(shown or "", state), gr.Timer(active=False))

    send.click(send_upload, [upload, save_as, replace],
               [result, upload, save_as, replace, table, doomed, progress, timer],
               api_name="upload_report", api_visibility="undocumented")
    refresh.click(send_refresh, None, [result, progress, timer], api_name="update_index",
                  api_visibility="undocumented")
    remove.click(send_removal, [doomed, confirm], [result, confirm, table, doomed, progress, timer],
                 api_name="remove_report", api_visibility="undocumented")
    # One poll at a time, the latest tick only: overlapping polls could answer out of order, and an older
    # "running" reply then showed 正在同步到 Milvus… under a result line already saying 索引已更新.
    timer.tick(poll, result, [progress, table, doomed, result, timer], show_progress="hidden", concurrency_limit=1,
               trigger_mode="always_last", api_visibility="private")
    gr.api(reports, api_name="reports", api_visibility="undocumented")
    return Fill([table, doomed, progress, timer], filled)
