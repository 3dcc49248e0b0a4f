// tests/web/app.test.mjs — vanban serve in a real browser (run by
// tests/web.sh): Debian's chromium through playwright-core.  A clerk's
// session: an empty form, a state resolution typed in, a bad date shown at
// its field, corrected, the preview, the PDF and DOCX downloaded and
// checked, a repeated group added and removed, the record saved as JSON,
// the page reloaded (the draft is kept), the next number taken from the
// register (Lấy số) and seen in the form, the page reloaded and the
// document found in the Sổ đăng ký tab and downloaded from it, a JSON
// Lines batch uploaded and its zip downloaded; and a server without a
// register, where Lấy số is disabled.  A screenshot of each step goes to $WEB_ARTIFACTS.
// Prints "ok: …" / "FAIL: …" lines; tests/web.sh counts them.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const url = process.env.VANBAN_URL;
const art = process.env.WEB_ARTIFACTS;
const repo = process.env.T_ROOT;
const validator = process.env.VALIDATE_DOCX || '';
fs.mkdirSync(art, { recursive: true });

let failed = 0;
const ok = (what) => console.log(`ok: ${what}`);
const fail = (what, detail) => { failed++; console.log(`FAIL: ${what}${detail ? '\n    ' + String(detail).split('\n').slice(0, 8).join('\n    ') : ''}`); };
async function step(what, fn) {
  try { await fn(); ok(what); } catch (e) { fail(what, e && e.message); }
}
// the documents a record holds, as `vanban check` lists them
const held = (rec) => {
  const f = path.join(art, 'held.json');
  fs.writeFileSync(f, JSON.stringify(rec));
  const out = execFileSync(process.env.VANBAN_BIN, ['check', f], { encoding: 'utf8' });
  return out.replace(/^.*: ok \((.*)\)\s*$/s, '$1').split(', ');
};
const field = (p) => `:is(input,textarea)[data-path="${p}"]`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ acceptDownloads: true, locale: 'vi-VN', viewport: { width: 1400, height: 1000 } });
const page = await context.newPage();
const consoleErrors = [];
// a 422 (a record with mistakes) is logged by Chromium as a failed load: expected
page.on('console', (m) => { if (m.type() === 'error' && !/status of 422/.test(m.text())) consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));
const shot = (name) => page.screenshot({ path: path.join(art, name), fullPage: true });

async function download(button, name) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click(button)]);
  const to = path.join(art, name);
  await dl.saveAs(to);
  return { to, suggested: dl.suggestedFilename() };
}

try {
  await step('the app opens with a form generated from the schema', async () => {
    await page.goto(url);
    await page.waitForSelector('#type option', { state: 'attached', timeout: 30000 });
    await page.selectOption('#type', 'resolution');
    await page.waitForSelector(field('/resolution/subject'), { timeout: 30000 });
    const types = await page.$$eval('#type option', (os) => os.map((o) => o.value));
    if (!types.includes('resolution') || !types.includes('minutes')) throw new Error(`types: ${types}`);
    const label = await page.textContent('#form');
    if (!label.includes('Trích yếu') || !label.includes('Cơ quan ban hành')) throw new Error('no Vietnamese labels');
    // a clerk never sees a field's path: the part the place depends on by its label, on any document's form
    await page.selectOption('#type', 'decision');
    await page.waitForSelector(field('/decision/subject'), { timeout: 30000 });
    if (!(await page.textContent('#form')).includes('bắt buộc khi có «Nghị quyết»')) throw new Error('required-with hint without its label');
    await page.selectOption('#type', 'resolution');
    await page.waitForSelector(field('/resolution/subject'), { timeout: 30000 });
    await shot('01-empty-form.png');
  });

  await step('a state resolution typed into the empty form, with a bad date: the message at that field', async () => {
    await page.selectOption('#convention', 'state');
    await page.selectOption('#type', 'resolution');
    await page.fill(field('/issuer/superior'), 'ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH');
    await page.fill(field('/issuer/name'), 'SỞ TƯ PHÁP');
    await page.fill(field('/issuer/code'), 'STP');
    await page.fill(field('/place'), 'Nam Định');
    await page.fill(field('/resolution/subject'), 'về kế hoạch phổ biến pháp luật năm 2025');
    await page.click('button[data-add="/resolution/body"]');
    await page.fill(field('/resolution/body/0/paragraph'), 'Thông qua kế hoạch phổ biến, giáo dục pháp luật năm 2025 của Sở.');
    await page.fill(field('/resolution/signature/position'), 'GIÁM ĐỐC');
    await page.fill(field('/resolution/signature/name'), 'Trần Văn Bình');
    await page.fill(field('/resolution/date'), '20/12/2024');
    const msg = page.locator('.err[data-for="/resolution/date"]');
    await msg.waitFor({ timeout: 30000 });
    const text = await msg.textContent();
    if (!text.includes('năm-tháng-ngày')) throw new Error(`message: ${text}`);
    if (!(await page.locator(field('/resolution/date')).evaluate((e) => e.classList.contains('invalid')))) throw new Error('field not marked');
    await shot('02-bad-date.png');
  });

  await step('the date corrected: the message goes and the preview shows', async () => {
    await page.fill(field('/resolution/date'), '2024-12-20');
    await page.waitForSelector('#preview-status[data-state="ok"]', { timeout: 30000 });
    const st = await page.textContent('#preview-status');
    if (!/Bản xem trước: 1 trang, dựng trong [\d.]+ ms/.test(st)) throw new Error(st);
    if (await page.locator('.err').count()) throw new Error('messages left');
    const src = await page.getAttribute('#preview', 'src');
    if (!src || !src.startsWith('blob:')) throw new Error(`iframe src ${src}`);
    await page.waitForTimeout(3000);             // the PDF viewer draws its pages
    await shot('03-preview.png');
  });

  await step('a repeated group added and removed (recipients)', async () => {
    const add = 'button[data-add="/resolution/recipients"]';
    await page.click(add);
    await page.click(add);
    await page.fill(field('/resolution/recipients/0'), 'UBND tỉnh (để b/c)');
    await page.fill(field('/resolution/recipients/1'), 'Lưu: VT');
    await page.click('fieldset[data-path="/resolution/recipients/1"] > button.remove');
    if (await page.locator(field('/resolution/recipients/1')).count()) throw new Error('item 2 still there');
    await page.click(add);
    await page.fill(field('/resolution/recipients/1'), 'Lưu: VT, STP');
    await page.waitForSelector('#preview-status[data-state="ok"]');
  });

  await step('the PDF downloaded: pdftotext finds the title, subject and signer', async () => {
    const { to, suggested } = await download('#dl-pdf', 'nghi-quyet.pdf');
    if (suggested !== 'vanban.resolution.pdf') throw new Error(`name ${suggested}`);
    const text = execFileSync('pdftotext', ['-layout', to, '-'], { encoding: 'utf8' });
    for (const want of ['NGHỊ QUYẾT', 'phổ biến pháp luật năm 2025', 'Trần Văn Bình', 'Nam Định, ngày 20 tháng 12 năm 2024', 'Lưu: VT, STP'])
      if (!text.normalize('NFC').includes(want)) throw new Error(`no "${want}" in\n${text.slice(0, 400)}`);
  });

  await step('the DOCX downloaded: a Word document with the text' + (validator ? ', valid by validate-docx' : ''), async () => {
    const { to } = await download('#dl-docx', 'nghi-quyet.docx');
    const xml = execFileSync('unzip', ['-p', to, 'word/document.xml'], { encoding: 'utf8' });
    if (!xml.includes('Trần Văn Bình')) throw new Error('signer not in word/document.xml');
    if (validator) execFileSync(validator, [to], { encoding: 'utf8', stdio: 'pipe' });
  });

  await step('the record saved as JSON: what the form holds, no blank values', async () => {
    const { to } = await download('#save', 'hoso.json');
    const r = JSON.parse(fs.readFileSync(to, 'utf8'));
    if (r.convention !== 'state' || r.issuer.code !== 'STP' || r.resolution.date !== '2024-12-20') throw new Error(JSON.stringify(r));
    if (JSON.stringify(r).includes('""')) throw new Error('a blank value saved');
    execFileSync(process.env.VANBAN, ['check', to], { stdio: 'pipe' });
  });

  await step('reloaded: the draft is still in the form and previews again', async () => {
    await page.reload();
    await page.waitForSelector(field('/issuer/name'));
    const v = await page.inputValue(field('/issuer/name'));
    if (v !== 'SỞ TƯ PHÁP') throw new Error(`issuer ${v}`);
    await page.waitForSelector('#preview-status[data-state="ok"]', { timeout: 30000 });
    await shot('04-reloaded.png');
  });

  let numbered = null;
  await step('Lấy số: the next number from the register, in the form\'s Số field', async () => {
    if (await page.locator('#take-number').isDisabled()) throw new Error('the button is disabled (no --db?)');
    await page.click('#take-number');
    await page.waitForSelector('#numbered:not([hidden])', { timeout: 30000 });
    const numsym = await page.getAttribute('#numbered', 'data-numsym');
    if (numsym !== '01/NQ-STP') throw new Error(`number ${numsym}`);
    const v = await page.inputValue(field('/resolution/number'));
    if (v !== '1') throw new Error(`the Số field holds "${v}"`);
    if (!/^hoso-[0-9a-f]{10}$/.test(await page.inputValue(field('/id')))) throw new Error('no id given to the record');
    const msg = await page.textContent('#message');
    if (!msg.includes('Đã lấy số 01/NQ-STP')) throw new Error(msg);
    await page.waitForSelector('#preview-status[data-state="ok"]', { timeout: 30000 });
    await page.waitForTimeout(2000);
    await shot('05-numbered.png');
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click('#numbered a:has-text("PDF")')]);
    numbered = path.join(art, 'nghi-quyet-so-01.pdf');
    await dl.saveAs(numbered);
    const text = execFileSync('pdftotext', ['-layout', numbered, '-'], { encoding: 'utf8' }).normalize('NFC');
    if (!text.includes('01/NQ-STP')) throw new Error(`no 01/NQ-STP in\n${text.slice(0, 300)}`);
  });

  await step('Lấy số again for the same document: the same number', async () => {
    await page.click('#take-number');
    await page.waitForFunction(() => document.querySelector('#message').textContent.includes('giữ nguyên số'), null, { timeout: 30000 });
    if (await page.getAttribute('#numbered', 'data-numsym') !== '01/NQ-STP') throw new Error('another number');
  });

  await step('reloaded: the number still in the form, the document in Sổ đăng ký, downloaded from there', async () => {
    await page.reload();
    await page.waitForSelector(field('/resolution/number'));
    if (await page.inputValue(field('/resolution/number')) !== '1') throw new Error('the number is gone after reload');
    await page.click('#tab-register');
    const row = page.locator('#reg-table tbody tr', { hasText: '01/NQ-STP' });
    await row.waitFor({ timeout: 30000 });
    const cells = await row.locator('td').allTextContents();
    if (cells[1] !== '20/12/2024' || cells[2] !== 'Nghị quyết' || !cells[3].includes('phổ biến pháp luật') ||
        !cells[4].includes('Trần Văn Bình') || !/^\d+$/.test(cells[5]) || cells[6] !== '' || cells[7] !== '' ||
        cells[8] !== 'Đã ban hành') throw new Error(cells.join(' | '));
    if (!(await page.textContent('#reg-status')).includes('năm 2024')) throw new Error('no year status');
    if (await page.inputValue('#reg-year') !== '2024') throw new Error('year not chosen');
    await shot('06-register.png');
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), row.locator('a:has-text("PDF")').click()]);
    const again = path.join(art, 'so-dang-ky-01.pdf');
    await dl.saveAs(again);
    if (!fs.readFileSync(again).equals(fs.readFileSync(numbered))) throw new Error('the register\'s PDF is not the numbered one');
    await page.click('#tab-compose');
  });

  await step('the record reopened from its JSON file (a sample)', async () => {
    await page.setInputFiles('#open', path.join(repo, 'samples/namdinh-hdnd-2023-01-05.json'));
    await page.waitForFunction(() => document.querySelector('#message').textContent.includes('namdinh'));
    const v = await page.inputValue(field('/issuer/code'));
    if (!v) throw new Error('issuer code empty');
    await page.waitForSelector('#preview-status[data-state="ok"]', { timeout: 30000 });
    await page.selectOption('#type', 'minutes');
    await page.waitForSelector(field('/meeting/title'));
    await page.waitForFunction(() => /Bản xem trước: \d+ trang/.test(document.querySelector('#preview-status').textContent));
    await page.waitForTimeout(3000);
    await shot('07-opened-minutes.png');
  });

  await step('a JSON Lines batch uploaded: progress to the end, the zip downloaded with its report', async () => {
    await page.click('#tab-batch');
    const a = JSON.parse(fs.readFileSync(path.join(repo, 'samples/haiphong-2021-12-28.json'), 'utf8'));
    const b = JSON.parse(fs.readFileSync(path.join(repo, 'samples/anbinh-hdnd-2024-12-20.json'), 'utf8'));
    const lines = [JSON.stringify(a), JSON.stringify(b), '{"convention": "state"}'].join('\n') + '\n';
    await page.setInputFiles('#batch-files', { name: 'so-di.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(lines) });
    await page.click('#batch-start');
    await page.waitForSelector('#batch-zip:not([hidden])', { timeout: 120000 });
    const st = await page.textContent('#batch-status');
    if (!st.includes('3/3 hồ sơ') || !st.includes('1 hồ sơ lỗi')) throw new Error(st);
    await shot('08-batch-done.png');
    const { to } = await download('#batch-zip', 'lo.zip');
    const names = execFileSync('unzip', ['-Z1', to], { encoding: 'utf8' }).trim().split('\n').sort();
    // every document the two good records hold (as the samples' own record
    // ids, or so-di-LINE), as PDF and DOCX, and the report
    const want = ['report.json'];
    for (const [rec, id] of [[a, a.id || 'so-di-1'], [b, b.id || 'so-di-2']])
      for (const t of held(rec)) want.push(`${id}.${t}.docx`, `${id}.${t}.pdf`);
    if (names.join(' ') !== want.sort().join(' ')) throw new Error(`${names.join(' ')}\nwant ${want.join(' ')}`);
  });

  await step('a server without a register (no --db): Lấy số disabled, Sổ đăng ký says how to start one', async () => {
    const p2 = await context.newPage();
    await p2.goto(process.env.VANBAN_URL_NODB);
    await p2.waitForSelector('#type option', { state: 'attached', timeout: 30000 });
    if (!(await p2.locator('#take-number').isDisabled())) throw new Error('Lấy số is enabled');
    if (!(await p2.getAttribute('#take-number', 'title')).includes('--db')) throw new Error('no reason in the title');
    await p2.click('#tab-register');
    const none = p2.locator('#reg-none');
    if (!(await none.isVisible()) || !(await none.textContent()).includes('vanban serve --db')) throw new Error('no message');
    if (await p2.locator('#reg-view').isVisible()) throw new Error('the register table is shown');
    await p2.screenshot({ path: path.join(art, '09-no-register.png'), fullPage: true });
    await p2.close();
  });

  if (consoleErrors.length) fail('no errors in the browser console', consoleErrors.join('\n'));
  else ok('no errors in the browser console');
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
