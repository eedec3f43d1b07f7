"""The simulator pages: where a demo user pays a virtual account or approves a QRIS / e-wallet payment.

Like Midtrans's own sandbox simulator: enter the bank and the VA number (or paste a QRIS string),
see the bill, pay it. A GoPay or ShopeePay deeplink opens the charge's page here, dressed as the
wallet's confirmation screen. Plain server-rendered HTML in Bahasa Indonesia, usable at 390 px.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

# The project's one rupiah formatter; core.money is plain Python, no Django.
from core.money import format_rupiah as rupiah

if TYPE_CHECKING:
    from .engine import Engine, Transaction

BANKS = {"bca": "BCA", "bni": "BNI", "bri": "BRI", "permata": "Permata", "mandiri": "Mandiri"}
STATUS_LABELS = {
    "pending": "Menunggu pembayaran",
    "settlement": "Lunas",
    "capture": "Lunas",
    "expire": "Kedaluwarsa",
    "cancel": "Dibatalkan",
    "deny": "Ditolak",
    "refund": "Dana dikembalikan",
    "partial_refund": "Dana dikembalikan sebagian",
}
NOTICES = {
    "paid": "Pembayaran berhasil. Notifikasi pembayaran dikirim ke toko.",
    "denied": "Pembayaran ditolak. Notifikasinya dikirim ke toko.",
    "not-found": "Tagihan tidak ditemukan. Periksa bank dan nomornya.",
    "bad-qr": "Isi QRIS tidak dikenali. Salin seluruh qr_string dari respons charge.",
    "not-pending": "Transaksi ini tidak lagi menunggu pembayaran.",
}

STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f5f7;color:#1c2430}
header{background:#0b3d6e;color:#fff;padding:14px 16px}
header a{color:#fff;text-decoration:none;font-weight:600}
header small{display:block;opacity:.8;font-size:13px}
main{max-width:560px;margin:0 auto;padding:12px}
section,.card{background:#fff;border-radius:10px;padding:16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h1{font-size:20px;margin:0 0 8px}h2{font-size:17px;margin:0 0 10px}
label{display:block;font-weight:600;margin:10px 0 4px}
input,select,textarea{width:100%;font:inherit;padding:10px;border:1px solid #b8c2cc;border-radius:8px;background:#fff}
textarea{min-height:96px;font-family:ui-monospace,monospace;font-size:13px}
button,.button{display:block;width:100%;min-height:48px;margin-top:12px;border:0;border-radius:8px;font:inherit;
 font-weight:700;background:#0b7a3e;color:#fff;cursor:pointer;text-align:center;text-decoration:none;padding:12px}
button.secondary{background:#fff;color:#b3261e;border:1px solid #b3261e}
.amount{font-size:28px;font-weight:700;margin:4px 0}
.number{font:600 22px/1.3 ui-monospace,monospace;letter-spacing:1px;word-break:break-all}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:8px 0}
dt{color:#5b6773}dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;border-radius:99px;padding:2px 10px;font-size:13px;font-weight:600;background:#e7eef6}
.badge.pending{background:#fff4d6;color:#7a5300}.badge.settlement{background:#dcf5e5;color:#0b5e30}
.badge.expire,.badge.cancel,.badge.deny{background:#fde2e0;color:#8c1d18}
.notice{background:#e8f1fb;border-left:4px solid #0b5cad;padding:10px 12px;border-radius:6px;margin-bottom:12px}
.notice.error{background:#fde2e0;border-color:#b3261e}
.list a{display:block;color:inherit;text-decoration:none;border-top:1px solid #e3e8ee;padding:10px 0}
.list a:first-child{border-top:0}.muted{color:#5b6773;font-size:14px}
.qr{display:block;margin:8px auto;width:240px;max-width:100%;height:auto;image-rendering:pixelated}
.wallet{border-top:6px solid #00aa13}.wallet.shopeepay{border-top-color:#ee4d2d}
"""

COUNTDOWN_SCRIPT = """
<script>
document.querySelectorAll('[data-expires]').forEach(function (el) {
  var end = Date.parse(el.dataset.expires);
  function tick() {
    var left = Math.max(0, Math.floor((end - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
    el.textContent = (h ? h + ' jam ' : '') + m + ' menit ' + s + ' detik';
    if (left > 0) setTimeout(tick, 1000);
  }
  tick();
});
</script>
"""


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def method_label(transaction: Transaction) -> str:
    if transaction.payment_type == "bank_transfer":
        return f"Virtual Account {BANKS.get(transaction.bank, transaction.bank.upper())}"
    return {
        "echannel": "Mandiri Bill Payment",
        "qris": "QRIS",
        "gopay": "GoPay",
        "shopeepay": "ShopeePay",
    }.get(transaction.payment_type, transaction.payment_type)


def payment_code(transaction: Transaction) -> str:
    if transaction.payment_type == "echannel":
        return f"{transaction.biller_code} / {transaction.bill_key}"
    return transaction.va_number


def _iso(wib_time: str) -> str:
    return wib_time.replace(" ", "T") + "+07:00"


def page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{e(title)} · Simulator Midtrans lokal</title><style>{STYLE}</style></head><body>"
        "<header><a href='/simulator/'>Simulator Midtrans (lokal)</a>"
        "<small>Server uji coba: tidak ada uang sungguhan yang berpindah.</small></header>"
        f"<main>{body}</main>{COUNTDOWN_SCRIPT}</body></html>"
    )


def notice_html(notice: str | None) -> str:
    if not notice or notice not in NOTICES:
        return ""
    error = " error" if notice in ("not-found", "bad-qr", "not-pending") else ""
    return f"<div class='notice{error}' role='status'>{e(NOTICES[notice])}</div>"


def index(engine: Engine, notice: str | None = None) -> str:
    transactions = engine.all()
    pending = [t for t in reversed(transactions) if t.transaction_status == "pending"]
    recent = [t for t in reversed(transactions) if t.transaction_status != "pending"][:10]
    bank_options = "".join(
        f"<option value='{code}'>{label}{' (Bill Payment)' if code == 'mandiri' else ''}</option>"
        for code, label in BANKS.items()
    )
    body = notice_html(notice)
    body += (
        "<section><h1>Bayar Virtual Account</h1>"
        "<form method='get' action='/simulator/va'>"
        f"<label for='bank'>Bank</label><select id='bank' name='bank'>{bank_options}</select>"
        "<label for='va_number'>Nomor Virtual Account / Kode Bayar</label>"
        "<input id='va_number' name='va_number' inputmode='numeric' autocomplete='off' required>"
        "<button type='submit'>Cek tagihan</button></form></section>"
        "<section><h2>Bayar QRIS</h2>"
        "<form method='post' action='/simulator/qris'>"
        "<label for='qr_string'>Isi QRIS (qr_string)</label>"
        "<textarea id='qr_string' name='qr_string' required></textarea>"
        "<button type='submit'>Pindai QRIS</button></form></section>"
    )
    body += "<section><h2>Menunggu pembayaran</h2>"
    if pending:
        body += "<div class='list'>" + "".join(_list_item(t) for t in pending) + "</div>"
    else:
        body += "<p class='muted'>Belum ada transaksi yang menunggu pembayaran.</p>"
    body += "</section>"
    if recent:
        body += "<section><h2>Transaksi terakhir</h2><div class='list'>"
        body += "".join(_list_item(t) for t in recent) + "</div></section>"
    return page("Simulator", body)


def _list_item(transaction: Transaction) -> str:
    code = payment_code(transaction)
    code_html = f"<span class='number' style='font-size:16px'>{e(code)}</span><br>" if code else ""
    return (
        f"<a href='/simulator/{e(transaction.transaction_id)}'>"
        f"<strong>{e(method_label(transaction))}</strong> · {e(rupiah(transaction.gross_amount))} "
        f"<span class='badge {e(transaction.transaction_status)}'>"
        f"{e(STATUS_LABELS.get(transaction.transaction_status, transaction.transaction_status))}</span><br>"
        f"{code_html}<span class='muted'>Pesanan {e(transaction.order_id)}</span></a>"
    )


def transaction_page(engine: Engine, transaction: Transaction, notice: str | None = None) -> str:
    status = transaction.transaction_status
    pending = status == "pending"
    wallet = transaction.payment_type in ("gopay", "shopeepay")
    label = method_label(transaction)
    body = notice_html(notice)
    classes = f"card wallet {transaction.payment_type}" if wallet else "card"
    body += f"<div class='{classes}'>"
    heading = f"Konfirmasi pembayaran {label}" if wallet and pending else label
    body += (
        f"<h1>{e(heading)}</h1>"
        f"<span class='badge {e(status)}'>{e(STATUS_LABELS.get(status, status))}</span>"
        f"<div class='amount'>{e(rupiah(transaction.gross_amount))}</div>"
    )
    if transaction.payment_type == "bank_transfer":
        body += (
            f"<div class='muted'>Nomor Virtual Account {e(BANKS.get(transaction.bank, ''))}</div>"
            f"<div class='number'>{e(transaction.va_number)}</div>"
        )
    elif transaction.payment_type == "echannel":
        body += (
            "<dl><dt>Kode perusahaan</dt>"
            f"<dd class='number'>{e(transaction.biller_code)}</dd>"
            f"<dt>Kode bayar</dt><dd class='number'>{e(transaction.bill_key)}</dd></dl>"
        )
    elif transaction.payment_type in ("qris", "gopay") and pending:
        kind = "qris" if transaction.payment_type == "qris" else "gopay"
        alt = "Kode QR QRIS" if kind == "qris" else "Kode QR GoPay"
        body += f"<img class='qr' src='/v2/{kind}/{e(transaction.transaction_id)}/qr-code' alt='{alt}'>"
    body += "<dl>"
    body += f"<dt>Penerima</dt><dd>Pasar Pesantren</dd><dt>Pesanan</dt><dd>{e(transaction.order_id)}</dd>"
    if pending:
        body += (
            f"<dt>Bayar sebelum</dt><dd>{e(transaction.expiry_time)} WIB<br>"
            f"<span class='muted'>Sisa waktu <span data-expires='{e(_iso(transaction.expiry_time))}'></span>"
            "</span></dd>"
        )
    if transaction.settlement_time:
        body += f"<dt>Dibayar</dt><dd>{e(transaction.settlement_time)} WIB</dd>"
    if transaction.refunds:
        body += f"<dt>Dikembalikan</dt><dd>{e(rupiah(transaction.refunded_amount))}</dd>"
    body += "</dl>"
    if transaction.item_details:
        body += "<details><summary>Rincian barang</summary><dl>"
        for item in transaction.item_details:
            body += (
                f"<dt>{e(item.get('quantity'))} ×</dt>"
                f"<dd>{e(item.get('name', ''))} · {e(rupiah(int(item['price']) * int(item['quantity'])))}</dd>"
            )
        body += "</dl></details>"
    if pending:
        action = f"/simulator/{e(transaction.transaction_id)}"
        pay_label = {
            "qris": "Pindai &amp; bayar",
            "gopay": "Bayar dengan GoPay",
            "shopeepay": "Bayar dengan ShopeePay",
        }.get(transaction.payment_type, f"Bayar {e(rupiah(transaction.gross_amount))}")
        body += f"<form method='post' action='{action}/pay'><button type='submit'>{pay_label}</button></form>"
        if transaction.payment_type in ("qris", "gopay", "shopeepay"):
            body += (
                f"<form method='post' action='{action}/deny'>"
                "<button type='submit' class='secondary'>Tolak pembayaran</button></form>"
            )
    elif transaction.callback_url.startswith(("http://", "https://")):
        body += f"<a class='button' href='{e(transaction.callback_url)}'>Kembali ke toko</a>"
    body += "</div>"
    if transaction.payment_type == "qris" and pending:
        body += (
            "<section><h2>Isi QRIS</h2>"
            f"<textarea readonly aria-label='Isi QRIS'>{e(transaction.qr_string)}</textarea></section>"
        )
    body += "<p><a href='/simulator/'>← Semua transaksi</a></p>"
    return page(label, body)
