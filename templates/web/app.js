// vanban serve — the forms, generated from GET /api/schema (the record
// format's files), so a document type added as files appears here with no
// change.  Plain JavaScript, no framework; values only ever reach the page
// through textContent / value, never as HTML.
'use strict';

const CONVENTIONS = {
  state: 'Văn bản hành chính nhà nước (Nghị định 30/2020/NĐ-CP)',
  party: 'Văn bản của Đảng (Hướng dẫn 36-HD/VPTW)',
};
const STORE = 'vanban.record';

let schema = null;
let record = { convention: 'state' };
let previewSeq = 0, previewTimer = null, previewUrl = null;

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
const parentPath = (p) => (p.lastIndexOf('.') < 0 ? '' : p.slice(0, p.lastIndexOf('.')));
const lastKey = (p) => p.slice(p.lastIndexOf('.') + 1);

function say(text, bad) {
  const m = $('message');
  m.textContent = text;
  m.className = bad ? 'message bad' : 'message';
}

function capitalise(title) {
  const t = title.toLocaleLowerCase('vi');
  return t.charAt(0).toLocaleUpperCase('vi') + t.slice(1);
}

// ---- the schema ----

function typesOf(conv) { return schema.types.filter((t) => t.convention === conv); }
function currentType() {
  return typesOf(record.convention).find((t) => t.name === $('type').value) || typesOf(record.convention)[0];
}
// The fields a form shows: those every record shares and those of the
// type's part, never the derived ones (the server leaves those out).
function formFields(type) {
  return schema.fields.filter((f) => f.part === '' || f.part === type.part);
}
function childrenOf(fields, path) {
  return fields.filter((f) => parentPath(f.path) === path && f.path !== path);
}

// ---- the record: values at JSON paths ----

function getAt(ptr) {
  let v = record;
  for (const k of ptr) { if (v == null) return undefined; v = v[k]; }
  return v;
}
function setAt(ptr, value) {
  let v = record;
  for (let i = 0; i < ptr.length - 1; i++) {
    if (v[ptr[i]] == null || typeof v[ptr[i]] !== 'object') v[ptr[i]] = typeof ptr[i + 1] === 'number' ? [] : {};
    v = v[ptr[i]];
  }
  v[ptr[ptr.length - 1]] = value;
}
const pointer = (ptr) => '/' + ptr.join('/');

// What the server gets: empty texts and objects and lists left out, so an
// optional part left blank is simply absent.  Items of lists stay (their
// index is their place in the messages).
function prune(v, inList) {
  if (v === '' || v == null) return inList ? v : undefined;
  if (Array.isArray(v)) {
    const a = v.map((x) => { const p = prune(x, true); return p === undefined ? null : p; });
    return a.length ? a : undefined;
  }
  if (typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) { const p = prune(v[k], false); if (p !== undefined) o[k] = p; }
    return Object.keys(o).length || inList ? o : undefined;
  }
  return v;
}
function payload() {
  const r = prune(record, false) || {};
  r.convention = record.convention;
  return r;
}

function convert(f, text) {
  if (f.type === 'int') return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
  if (f.type === 'cell') {
    if (text.trim() === '') return null;
    return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
  }
  return text;
}

// ---- the form ----

function fieldLabel(f) {
  const l = el('label');
  l.append(f.label || lastKey(f.path));
  if (f.required) l.append(el('span', 'req', ' *'));
  if (f.required_with) {
    // the part it depends on may belong to another document: look in all
    const w = schema.fields.find((x) => x.path === f.required_with);
    l.append(el('span', 'hint', ` (bắt buộc khi có «${w ? w.label : f.required_with}»)`));
  }
  if (f.type === 'int' && f.min !== undefined) l.append(el('span', 'hint', ` (số ${f.min}–${f.max})`));
  if (f.doc) l.title = f.doc;
  return l;
}

function scalarInput(f, fields, ptr, wrap) {
  let input;
  if (f.type === 'bool') {            // a yes/no field: a checkbox, absent when unticked
    input = el('input');
    input.type = 'checkbox';
    input.checked = getAt(ptr) === true;
    input.dataset.path = pointer(ptr);
    input.setAttribute('aria-label', f.label || lastKey(f.path));
    input.addEventListener('change', () => { setAt(ptr, input.checked ? true : undefined); changed(); });
    wrap.dataset.path = pointer(ptr);
    wrap.append(input);
    return input;
  }
  if (f.type === 'text' || f.type === 'texts') {
    input = el('textarea');
    input.rows = 1;
  } else {
    input = el('input');
    input.type = 'text';
    if (f.type === 'date') input.placeholder = 'năm-tháng-ngày, ví dụ 2024-12-20';
    if (f.type === 'time') input.placeholder = 'giờ:phút, ví dụ 08:00';
    if (f.type === 'int' || f.type === 'cell') input.inputMode = f.type === 'int' ? 'numeric' : 'text';
  }
  if (f.default_from) {
    const from = fields.find((x) => x.path === f.default_from);
    input.placeholder = `bỏ trống: theo «${from ? from.label : f.default_from}»`;
  }
  const v = getAt(ptr);
  input.value = v == null ? '' : String(v);
  input.dataset.path = pointer(ptr);
  input.setAttribute('aria-label', f.label || lastKey(f.path));
  input.addEventListener('input', () => { setAt(ptr, convert(f, input.value)); changed(); });
  wrap.dataset.path = pointer(ptr);
  wrap.append(input);
  return input;
}

function renderField(f, fields, ptr, parent) {
  if (f.type === 'convention') return;          // chosen at the top
  const key = ptr[ptr.length - 1];
  if (f.type === 'object') {
    const fs = el('fieldset');
    fs.dataset.path = pointer(ptr);
    const lg = el('legend', '', f.label || String(key));
    if (f.required) lg.append(el('span', 'req', ' *'));
    if (f.doc) lg.title = f.doc;
    fs.append(lg);
    for (const c of childrenOf(fields, f.path)) renderField(c, fields, ptr.concat(lastKey(c.path)), fs);
    parent.append(fs);
    return;
  }
  if (f.type === 'list' || f.type === 'texts') {
    renderList(f, fields, ptr, parent);
    return;
  }
  const wrap = el('div', 'field');
  wrap.append(fieldLabel(f));
  scalarInput(f, fields, ptr, wrap);
  parent.append(wrap);
}

// A list (or a texts field, shown as a list of paragraphs): its items and
// the buttons that add and remove them.
function renderList(f, fields, ptr, parent) {
  const item = fields.find((x) => x.path === f.path + '.*') || { path: f.path + '.*', type: 'text', label: f.label };
  let v = getAt(ptr);
  if (typeof v === 'string') { v = [v]; setAt(ptr, v); }
  const fs = el('fieldset', 'list');
  fs.dataset.path = pointer(ptr);
  const lg = el('legend', '', f.label || lastKey(f.path));
  if (f.required) lg.append(el('span', 'req', ' *'));
  if (f.doc) lg.title = f.doc;
  fs.append(lg);
  const items = Array.isArray(v) ? v : [];
  items.forEach((_, i) => {
    const ip = ptr.concat(i);
    const box = el('fieldset', 'item');
    box.dataset.path = pointer(ip);
    const ilg = el('legend', '', `${item.label || ''} ${i + 1}`);
    box.append(ilg);
    const rm = el('button', 'remove', 'Xoá');
    rm.type = 'button';
    rm.title = `Xoá ${item.label || ''} ${i + 1}`;
    rm.addEventListener('click', () => { getAt(ptr).splice(i, 1); renderForm(); changed(); });
    box.append(rm);
    if (item.type === 'object') {
      for (const c of childrenOf(fields, item.path)) renderField(c, fields, ip.concat(lastKey(c.path)), box);
    } else if (item.type === 'list') {
      renderList(item, fields, ip, box);
    } else {
      const wrap = el('div', 'field');
      scalarInput(item, fields, ip, wrap);
      box.append(wrap);
    }
    fs.append(box);
  });
  const add = el('button', 'add', `+ Thêm ${(item.label || '').toLocaleLowerCase('vi')}`);
  add.type = 'button';
  add.dataset.add = pointer(ptr);
  add.addEventListener('click', () => {
    const fresh = item.type === 'object' ? {} : item.type === 'list' ? [] : item.type === 'cell' ? null : '';
    if (!Array.isArray(getAt(ptr))) setAt(ptr, []);
    getAt(ptr).push(fresh);
    renderForm();
    changed();
  });
  fs.append(add);
  parent.append(fs);
}

function renderForm() {
  const form = $('form');
  const scroll = form.scrollTop;
  form.replaceChildren();
  const type = currentType();
  if (!type) { form.append(el('p', '', 'Loại hình này chưa có văn bản nào.')); return; }
  const fields = formFields(type);
  // the type's own part first: what the clerk came to write
  const top = childrenOf(fields, '');
  top.sort((a, b) => (b.path === type.part) - (a.path === type.part));
  for (const f of top) renderField(f, fields, [lastKey(f.path)], form);
  form.scrollTop = scroll;
}

function fillSelectors() {
  const cs = $('convention');
  cs.replaceChildren();
  for (const c of schema.conventions) {
    const o = el('option', '', CONVENTIONS[c] || c);
    o.value = c;
    cs.append(o);
  }
  if (!schema.conventions.includes(record.convention)) record.convention = schema.conventions[0];
  cs.value = record.convention;
  fillTypes();
}

function fillTypes() {
  const ts = $('type');
  const keep = ts.value;
  ts.replaceChildren();
  for (const t of typesOf(record.convention)) {
    const o = el('option', '', capitalise(t.title) + (t.abbr ? ` (${t.abbr})` : ''));
    o.value = t.name;
    ts.append(o);
  }
  if ([...ts.options].some((o) => o.value === keep)) ts.value = keep;
}

// ---- messages at their fields ----

function clearErrors() {
  for (const e of document.querySelectorAll('#form .err')) e.remove();
  for (const e of document.querySelectorAll('#form .invalid')) e.classList.remove('invalid');
  $('errors').replaceChildren();
}

function labelAt(path) {
  const segs = path.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? '*' : s));
  const f = schema.fields.find((x) => x.path === segs.join('.'));
  return f ? f.label : path;
}

function showErrors(errors) {
  clearErrors();
  for (const e of errors) {
    const text = e.message;   // in Vietnamese: the server answers the web app so
    let target = null;
    if (e.path) {
      // the field itself, else the nearest group that holds it
      let p = e.path;
      while (p && !(target = document.querySelector(`#form [data-path="${CSS.escape(p)}"]`)))
        p = p.slice(0, p.lastIndexOf('/'));
    }
    const li = el('li', '', (e.path ? labelAt(e.path) + ': ' : '') + text);
    li.title = (e.path || '') + ' ' + e.message;
    $('errors').append(li);
    if (!target) continue;
    const msg = el('div', 'err', text);
    msg.title = e.message;
    msg.dataset.for = e.path;
    const input = target.matches('input, textarea') ? target : target.querySelector(':scope > input, :scope > textarea');
    if (input) { input.classList.add('invalid'); input.after(msg); }
    else if (target.tagName === 'FIELDSET') target.querySelector('legend').after(msg);
    else target.append(msg);
  }
}

// ---- the server ----

async function post(path, body) {
  return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
}

function changed() {
  try { localStorage.setItem(STORE, JSON.stringify({ record, type: $('type').value })); }
  catch (e) { /* private mode: no draft kept */ }
  clearTimeout(previewTimer);
  previewTimer = setTimeout(preview, 350);
}

async function preview() {
  const type = currentType();
  if (!type) return;
  const seq = ++previewSeq;
  $('preview-status').textContent = 'Đang dựng bản xem trước…';
  let res;
  try { res = await post(`/api/preview/${type.name}`, JSON.stringify(payload())); }
  catch (e) { $('preview-status').textContent = 'Không kết nối được máy chủ.'; return; }
  if (seq !== previewSeq) return;               // a newer preview is on its way
  if (res.ok) {
    const blob = await res.blob();
    if (seq !== previewSeq) return;
    clearErrors();
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(blob);
    $('preview').src = previewUrl;
    const pages = res.headers.get('X-Vanban-Pages');
    const t = /dur=([\d.]+)/.exec(res.headers.get('Server-Timing') || '');
    $('preview-status').textContent = `Bản xem trước: ${pages} trang, dựng trong ${t ? t[1] : '?'} ms.`;
    $('preview-status').dataset.state = 'ok';
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (seq !== previewSeq) return;
  $('preview-status').dataset.state = 'error';
  if (body.errors) {
    showErrors(body.errors);
    $('preview-status').textContent = `Hồ sơ còn ${body.errors.length} lỗi; sửa ở các ô tô đỏ.`;
  } else $('preview-status').textContent = body.error || `Lỗi máy chủ (${res.status}).`;
}

function saveBlob(blob, name) {
  const a = el('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

async function download(format) {
  const type = currentType();
  const res = await post(`/api/render/${type.name}/${format}`, JSON.stringify(payload()));
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    if (body.errors) showErrors(body.errors);
    say(body.errors ? 'Chưa tải được: hồ sơ còn lỗi.' : body.error || `Lỗi máy chủ (${res.status}).`, true);
    return;
  }
  const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
  saveBlob(await res.blob(), m ? m[1] : `vanban.${format}`);
  say(`Đã tải ${m ? m[1] : format}.`);
}

// ---- the outgoing register: Lấy số, Sổ đăng ký ----

const STATUS = { issued: 'Đã ban hành', withdrawn: 'Đã thu hồi', reserved: 'Đã giữ số, chưa ban hành' };
const dmy = (iso) => (/^\d{4}-\d\d-\d\d$/.test(iso) ? iso.split('-').reverse().join('/') : iso);

function link(href, text) {
  const a = el('a', '', text);
  a.href = href;
  a.download = '';
  return a;
}

// The next number of the document's series (the same one when this record
// and document were numbered before), written into the form's Số field;
// the record keeps the id the server gave it, so asking again keeps it.
async function takeNumber() {
  const type = currentType();
  if (!type || !schema.register) return;
  $('take-number').disabled = true;
  let res;
  try { res = await post(`/api/number/${type.name}`, JSON.stringify(payload())); }
  catch (e) { say('Không kết nối được máy chủ.', true); $('take-number').disabled = false; return; }
  $('take-number').disabled = false;
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (body.errors) showErrors(body.errors);
    say(body.errors ? 'Chưa lấy số: hồ sơ còn lỗi (xem các ô tô đỏ); sổ đăng ký không thay đổi.' : body.error || `Lỗi máy chủ (${res.status}).`, true);
    return;
  }
  if (!record.id) record.id = body.id;
  setAt([body.part, 'number'], body.number);
  renderForm();
  changed();
  say(body.again ? `Văn bản này đã có số ${body.numsym} trong sổ: giữ nguyên số.` : `Đã lấy số ${body.numsym} và ghi vào sổ đăng ký.`);
  const p = $('numbered');
  p.replaceChildren(el('span', '', `Số, ký hiệu: ${body.numsym}`), link(body.pdf, 'Tải PDF đã cấp số'), link(body.docx, 'Tải DOCX đã cấp số'));
  p.dataset.numsym = body.numsym;
  p.hidden = false;
}

async function loadRegister(year) {
  if (!schema.register) return;
  $('reg-status').textContent = 'Đang tải sổ…';
  let res;
  try { res = await fetch(year ? `/api/register/${year}` : '/api/register'); }
  catch (e) { $('reg-status').textContent = 'Không kết nối được máy chủ.'; return; }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { $('reg-status').textContent = body.error || `Lỗi máy chủ (${res.status}).`; return; }
  const sel = $('reg-year');
  sel.replaceChildren();
  const years = body.years.includes(body.year) ? body.years : [body.year, ...body.years];
  for (const y of years) { const o = el('option', '', String(y)); o.value = String(y); sel.append(o); }
  sel.value = String(body.year);
  const tbody = $('reg-table').querySelector('tbody');
  tbody.replaceChildren();
  for (const e of body.entries) {
    const tr = el('tr', e.status);
    tr.dataset.seq = e.seq;
    tr.append(el('td', 'numsym', e.numsym), el('td', '', dmy(e.date)), el('td', '', capitalise(e.type_title)),
      el('td', '', e.summary), el('td', '', e.signer), el('td', 'num', e.copies ? String(e.copies) : ''),
      el('td', '', e.sent ? dmy(e.sent) : ''), el('td', '', e.received || ''));
    const st = el('td', '', STATUS[e.status] || e.status);
    if (e.notes) st.title = e.notes;
    tr.append(st);
    const dl = el('td');
    if (e.kept) dl.append(link(e.pdf, 'PDF'), link(e.docx, 'DOCX'));
    else { dl.textContent = '—'; dl.title = `Cấp số ngoài ứng dụng web; các tệp: ${e.outputs}`; }
    tr.append(dl);
    tbody.append(tr);
  }
  $('reg-status').textContent = body.entries.length ? `${body.entries.length} văn bản trong năm ${body.year}, mới nhất ở trên.`
    : `Chưa có văn bản nào trong năm ${body.year}.`;
}

// ---- batch ----

async function startBatch() {
  const files = [...$('batch-files').files];
  if (!files.length) { $('batch-status').textContent = 'Chưa chọn tệp nào.'; return; }
  // "vanban-batch 1", then each file: its name, its size in bytes, its bytes
  const parts = ['vanban-batch 1\n'];
  for (const f of files) parts.push(`${f.name.replace(/[\r\n]/g, '_')}\n${f.size}\n`, f, '\n');
  $('batch-zip').hidden = true;
  $('batch-status').textContent = 'Đang tải lên…';
  const res = await fetch('/api/batch', { method: 'POST', body: new Blob(parts) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { $('batch-status').textContent = body.error || `Lỗi máy chủ (${res.status}).`; return; }
  const bar = $('batch-progress');
  bar.max = body.total;
  bar.value = 0;
  const es = new EventSource(`/api/batch/${body.job}/events`);
  es.onmessage = (ev) => {
    const p = JSON.parse(ev.data);
    bar.value = p.done;
    $('batch-status').textContent = `${p.done}/${p.total} hồ sơ, ${p.documents} tệp văn bản, ${p.failed} hồ sơ lỗi` +
      (p.finished ? ' — xong.' : '…');
    if (p.finished) {
      es.close();
      const a = $('batch-zip');
      a.href = `/api/batch/${body.job}/zip`;
      a.download = `vanban-lo-${body.job}.zip`;
      a.hidden = false;
    }
  };
  es.onerror = () => { es.close(); if ($('batch-zip').hidden) $('batch-status').textContent += ' (mất kết nối)'; };
}

// ---- start ----

function setRecord(r) {
  record = r && typeof r === 'object' && !Array.isArray(r) ? r : { convention: 'state' };
  $('numbered').hidden = true;
  if (!schema.conventions.includes(record.convention)) record.convention = schema.conventions[0];
  $('convention').value = record.convention;
  fillTypes();
  renderForm();
  changed();
}

function showTab(name) {
  $('compose').hidden = name !== 'compose';
  $('batch').hidden = name !== 'batch';
  $('register').hidden = name !== 'register';
  $('tab-compose').classList.toggle('active', name === 'compose');
  $('tab-batch').classList.toggle('active', name === 'batch');
  $('tab-register').classList.toggle('active', name === 'register');
  if (name === 'register') loadRegister($('reg-year').value);
}

async function start() {
  const res = await fetch('/api/schema');
  schema = await res.json();
  // the draft of the last visit, and the document it was previewing
  let saved = null;
  try { saved = JSON.parse(localStorage.getItem(STORE) || 'null'); } catch (e) { saved = null; }
  if (saved && saved.record && typeof saved.record === 'object') record = saved.record;
  else saved = null;
  fillSelectors();
  if (saved && [...$('type').options].some((o) => o.value === saved.type)) $('type').value = saved.type;
  renderForm();
  if (saved) preview();
  $('convention').addEventListener('change', () => { record.convention = $('convention').value; fillTypes(); renderForm(); changed(); });
  $('type').addEventListener('change', () => { renderForm(); changed(); });
  $('dl-pdf').addEventListener('click', () => download('pdf'));
  $('dl-docx').addEventListener('click', () => download('docx'));
  $('save').addEventListener('click', () => {
    const r = payload();
    saveBlob(new Blob([JSON.stringify(r, null, 2) + '\n'], { type: 'application/json' }), `${r.id || 'hoso'}.json`);
    say('Đã lưu hồ sơ.');
  });
  $('open').addEventListener('change', async () => {
    const f = $('open').files[0];
    if (!f) return;
    try { setRecord(JSON.parse(await f.text())); say(`Đã mở ${f.name}.`); }
    catch (e) { say(`${f.name}: không phải JSON (${e.message}).`, true); }
    $('open').value = '';
  });
  $('new').addEventListener('click', () => { if (confirm('Xoá hồ sơ đang soạn?')) { setRecord(null); say('Hồ sơ mới.'); } });
  $('tab-compose').addEventListener('click', () => showTab('compose'));
  $('tab-batch').addEventListener('click', () => showTab('batch'));
  $('tab-register').addEventListener('click', () => showTab('register'));
  // without --db the server keeps no register: the button says so, disabled
  const tn = $('take-number');
  if (schema.register) tn.addEventListener('click', takeNumber);
  else {
    tn.disabled = true;
    tn.title = 'Máy chủ chạy không có sổ đăng ký (vanban serve --db TỆP): không lấy số được.';
    $('reg-none').hidden = false;
    $('reg-view').hidden = true;
  }
  $('reg-year').addEventListener('change', () => loadRegister($('reg-year').value));
  $('reg-reload').addEventListener('click', () => loadRegister($('reg-year').value));
  $('batch-files').addEventListener('change', () => {
    const fs = [...$('batch-files').files];
    $('batch-chosen').textContent = fs.length ? fs.map((f) => f.name).join(', ') : 'chưa chọn tệp nào';
  });
  $('batch-start').addEventListener('click', startBatch);
}

start().catch((e) => say(`Không tải được biểu mẫu: ${e.message}`, true));
