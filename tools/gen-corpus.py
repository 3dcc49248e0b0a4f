#!/usr/bin/env python3
"""gen-corpus.py — a deterministic corpus of meeting records for benchmarks.

    tools/gen-corpus.py OUTDIR [--count 200] [--jsonl 40] [--seed 1]
    tools/gen-corpus.py --repeat FILE.jsonl --total 10000 [--max-pages 3] OUTDIR

The first form writes COUNT records as OUTDIR/corpus-NNNN.json, and JSONL
more (other ids) as OUTDIR/corpus.jsonl, one record a line.  The same seed
gives the same bytes.  Records vary on purpose: both conventions (party,
state); resolution and minutes, or only one of them; documents of 1 to 15
pages (the body, proceedings and guests are sized for a target page count
drawn per record); headings of levels 1-3, paragraphs, dash lists,
articles with and without titles, preambles, legal bases; chairs,
secretaries, guests, absent members, agendas, proceedings, votes (with and
without a base of their own), conclusions, notes, recipients.  Every record
passes `vanban check`.

The second form (for memory at scale) writes FILE.jsonl with TOTAL records
made by repeating the records of OUTDIR (as written by the first form) that
hold a resolution aimed at MAX_PAGES pages or fewer, each with a new id
"rep-NNNNN-<id>"; so `-t resolution` makes one document per line.

Only the standard library; no network.  The target page count is written
into no record (records carry only documented fields); a record's "id" is
corpus-NNNN-pP so a report shows what was aimed at.
"""
import argparse
import json
import os
import random
import sys

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Ngọc", "Xuân", "Thu",
          "Hồng", "Quốc", "Đình", "Công", "Kim", "Bảo", "Thế", "Anh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng",
         "Hương", "Khoa", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nhung", "Phong", "Phúc",
         "Phương", "Quân", "Sơn", "Tâm", "Thắng", "Thảo", "Thủy", "Tiến", "Toàn", "Trang",
         "Trung", "Tuấn", "Tùng", "Vân", "Việt", "Yến", "Đạt", "Ánh"]
PROVINCES = ["Hải Phòng", "Nam Định", "Thái Bình", "Hà Nam", "Ninh Bình", "Quảng Ninh",
             "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Huế", "Đà Nẵng", "Quảng Nam",
             "Bình Định", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Cần Thơ", "An Giang",
             "Bà Rịa - Vũng Tàu", "Bắc Ninh", "Lạng Sơn", "Lào Cai", "Điện Biên", "Cà Mau"]
UNITS = [("xã", "Tân Lập"), ("phường", "Hòa Bình"), ("xã", "Quảng Thành"), ("thị trấn", "Đông Anh"),
         ("xã", "Yên Phong"), ("phường", "Lê Lợi"), ("xã", "Hải Đông"), ("xã", "Nghĩa Hưng"),
         ("phường", "Trần Hưng Đạo"), ("xã", "Vĩnh Hảo"), ("xã", "Ea Tu"), ("phường", "Ngô Quyền"),
         ("xã", "Thạch Khê"), ("xã", "Phú Lộc")]
PARTY_BODIES = [("Đảng ủy", "ĐU"), ("Ban Chấp hành Đảng bộ", "ĐU"), ("Chi bộ", "CB"),
                ("Đảng ủy Khối Doanh nghiệp", "ĐUK"), ("Ban Thường vụ Huyện ủy", "HU")]
STATE_BODIES = [("Hội đồng nhân dân", "HĐND"), ("Ủy ban nhân dân", "UBND"),
                ("Hội đồng quản trị", "HĐQT"), ("Ban Quản lý dự án", "BQLDA")]
TOPICS = ["phát triển kinh tế - xã hội", "xây dựng nông thôn mới", "chuyển đổi số",
          "cải cách hành chính", "phòng, chống thiên tai", "bảo vệ môi trường",
          "công tác cán bộ", "phát triển đảng viên", "đầu tư công", "giáo dục và đào tạo",
          "y tế cơ sở", "an ninh trật tự", "thu ngân sách", "quản lý đất đai",
          "giảm nghèo bền vững", "văn hóa, thể thao", "công tác kiểm tra, giám sát"]
SUBJ = ["Ban Chấp hành", "Ủy ban nhân dân", "các chi bộ trực thuộc", "Văn phòng",
        "các phòng, ban chuyên môn", "Mặt trận Tổ quốc và các đoàn thể", "cán bộ, đảng viên",
        "các doanh nghiệp trên địa bàn", "Ban Kinh tế - Ngân sách", "các thôn, tổ dân phố",
        "người đứng đầu cơ quan, đơn vị", "Tổ công tác liên ngành"]
VERB = ["tập trung lãnh đạo", "chủ động triển khai", "tăng cường kiểm tra", "kịp thời tháo gỡ",
        "quyết liệt chỉ đạo", "rà soát, đánh giá", "đẩy mạnh tuyên truyền", "phối hợp chặt chẽ",
        "nâng cao hiệu quả", "tổ chức thực hiện tốt", "bảo đảm tiến độ", "huy động nguồn lực cho"]
OBJ = ["các chỉ tiêu kinh tế - xã hội năm {y}", "nhiệm vụ {t}", "kế hoạch {t} giai đoạn {y}-{y2}",
       "các dự án trọng điểm", "việc giải ngân vốn đầu tư công", "chương trình {t}",
       "công tác phòng, chống tham nhũng, lãng phí", "việc thực hiện quy chế dân chủ ở cơ sở",
       "các kiến nghị của cử tri", "chất lượng sinh hoạt chi bộ", "thu nhập của người lao động"]
TAIL = ["trong thời gian tới", "theo đúng quy định", "đạt và vượt kế hoạch đề ra",
        "gắn với trách nhiệm của người đứng đầu", "bảo đảm công khai, minh bạch",
        "từ nay đến cuối năm", "với tinh thần trách nhiệm cao", "không để phát sinh điểm nóng"]
FIGS = ["tổng thu ngân sách đạt {n},{d} tỷ đồng, tăng {p}% so với cùng kỳ",
        "tỷ lệ hộ nghèo giảm còn {p},{d}%", "giải ngân được {p}% kế hoạch vốn",
        "{n} đảng viên mới được kết nạp", "thu nhập bình quân đạt {d},{n} triệu đồng/người/tháng",
        "{n} công trình được khởi công", "{p}% thủ tục hành chính được giải quyết trực tuyến"]
ROMAN_TITLES = ["Tình hình, kết quả thực hiện nhiệm vụ", "Hạn chế, nguyên nhân", "Mục tiêu, nhiệm vụ",
                "Giải pháp trọng tâm", "Tổ chức thực hiện", "Kiến nghị, đề xuất", "Bài học kinh nghiệm"]
POSTS = ["Bí thư", "Phó Bí thư", "Chủ tịch", "Phó Chủ tịch", "Ủy viên Ban Thường vụ", "Trưởng ban",
         "Phó Trưởng ban", "Chánh Văn phòng", "Giám đốc", "Trưởng phòng", "Chủ nhiệm Ủy ban Kiểm tra"]
REASONS = ["đi công tác", "nghỉ ốm", "việc gia đình", "đi học tập trung", "có báo cáo bằng văn bản"]
ORDINALS = ["thứ Nhất", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "thứ Tám",
            "thứ Chín", "thứ Mười", "thứ Mười một", "thứ Mười hai"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def pick(self, xs):
        return self.r.choice(xs)

    def name(self):
        return "%s %s %s" % (self.pick(FAMILY), self.pick(MIDDLE), self.pick(GIVEN))

    def person(self, with_title=0.8):
        p = {"name": self.name()}
        if self.r.random() < with_title:
            p["title"] = "%s %s" % (self.pick(POSTS), self.pick(["Đảng ủy", "Ủy ban nhân dân", "Hội đồng nhân dân",
                                                                  "Ban Tuyên giáo", "Văn phòng", "Công đoàn"]))
        return p

    def sentence(self, year):
        r = self.r
        obj = self.pick(OBJ).format(y=year, y2=year + r.randint(1, 5), t=self.pick(TOPICS))
        s = "%s %s %s %s" % (self.pick(SUBJ), self.pick(VERB), obj, self.pick(TAIL))
        if r.random() < 0.35:
            s += "; " + self.pick(FIGS).format(n=r.randint(2, 980), d=r.randint(1, 99), p=r.randint(3, 98))
        return s[0].upper() + s[1:] + "."

    def para(self, year, lo=2, hi=6):
        return " ".join(self.sentence(year) for _ in range(self.r.randint(lo, hi)))

    def items(self, year, n):
        return ["%s;" % self.sentence(year)[:-1] for _ in range(n - 1)] + [self.sentence(year)]


def make_record(g, idx, target, conv, kinds, year):
    """kinds: 'both', 'resolution' or 'minutes'.  target: pages aimed at."""
    r = g.r
    prov = g.pick(PROVINCES)
    kind, uname = g.pick(UNITS)
    unit = "%s %s" % (kind, uname)
    month, day = r.randint(1, 12), r.randint(1, 28)
    date = "%04d-%02d-%02d" % (year, month, day)
    rec = {"convention": conv, "id": "corpus-%04d-p%d" % (idx, target)}
    if conv == "party":
        body, code = g.pick(PARTY_BODIES)
        rec["issuer"] = {"superior": "Đảng bộ tỉnh %s" % prov, "name": "%s %s" % (body, unit), "code": code}
    else:
        body, code = g.pick(STATE_BODIES)
        rec["issuer"] = {"name": "%s %s" % (body, unit), "code": code}
        if r.random() < 0.4:
            rec["issuer"]["superior"] = "Ủy ban nhân dân tỉnh %s" % prov
    rec["place"] = uname if r.random() < 0.5 else prov
    topic = g.pick(TOPICS)
    # about 440 words of body text fill a page at 14 pt; the header,
    # signature and recipients take about half of the first page
    words_wanted = max(0, int((target - 0.6) * 420))
    small = target <= 2
    tiny = target == 1

    if kinds in ("both", "minutes"):
        start_h = r.randint(7, 14)
        m = {
            "title": "Hội nghị %s %s %s năm %d" % (g.pick(["lần", "kỳ"]), g.pick(ORDINALS),
                                                   rec["issuer"]["name"], year),
            "date": date,
            "start": "%02d:%02d" % (start_h, r.choice([0, 15, 30])),
            "end": "%02d:%02d" % (start_h + r.randint(1, 3), r.choice([0, 30, 45])),
        }
        if r.random() < 0.8:
            m["venue"] = "Hội trường %s" % rec["issuer"]["name"]
        m["chair"] = [g.person(0.9) for _ in range(r.randint(1, 2))]
        m["secretary"] = [g.person(0.7)]
        total = r.randint(5, 60)
        present = total - r.randint(0, min(5, total - 3))
        m["members"] = {"total": total, "present": present}
        if r.random() < 0.15:
            m["members"]["unit"] = "đại biểu"
        if present < total and r.random() < (0.2 if small else 0.7):
            m["absent"] = [dict(g.person(0.3), reason=g.pick(REASONS)) if r.random() < 0.7 else g.person(0.3)
                           for _ in range(total - present)][:6]
        nguests = r.choice([0, 0, 1, 2, 4, 8, 20, 60]) if target > 4 else r.choice([0, 1, 2])
        if nguests and not tiny:
            m["guests"] = [g.person(0.95) for _ in range(nguests)]
        m["agenda"] = ["%s %s" % (g.pick(["Thảo luận", "Thông qua", "Đánh giá", "Cho ý kiến về"]),
                                  g.sentence(year)[:-1].lower()) for _ in range(1 if tiny else r.randint(1, 2 if small else 5))]
        if r.random() < (0.1 if small else 0.4):
            m["documents"] = ["Báo cáo số %d-BC/%s" % (r.randint(1, 300), rec["issuer"]["code"]),
                              "Dự thảo nghị quyết về %s" % topic]
        # proceedings carry most of the minutes' length: the rest (members,
        # agenda, votes, conclusion, signatures) takes about a page
        procs, got = [], 0
        want = max(0, int((target - 1.3) * 520))
        if kinds == "both":
            want = int(want * r.uniform(0.7, 1.0))
        while got < want or not procs:
            p = {"speaker": g.name(), "text": g.sentence(year) if tiny else g.para(year, 1, 2) if small else g.para(year, 2, 8)}
            if r.random() < 0.8:
                p["title"] = g.person(1.0)["title"]
            procs.append(p)
            got += len(p["text"].split()) + 8
        m["proceedings"] = procs
        votes = []
        for _ in range(0 if tiny else r.randint(0, 1 if small else 4)):
            f = r.randint(present // 2 + 1, present)
            ag = r.randint(0, present - f)
            ab = r.randint(0, present - f - ag)
            v = {"motion": "Thông qua %s" % g.sentence(year)[:-1].lower(), "for": f}
            if r.random() < 0.8:
                v["against"] = ag
            if r.random() < 0.6:
                v["abstain"] = ab
            if r.random() < 0.1:
                v["base"] = total + r.randint(0, 10)
            votes.append(v)
        if votes:
            m["votes"] = votes
        m["conclusion"] = [g.para(year, 1, 1 if small else 3) for _ in range(r.randint(1, 1 if small else 4))]
        if r.random() < 0.2:
            m["notes"] = "Biên bản được lập thành %d bản." % r.randint(2, 5)
        rec["meeting"] = m
        mins = {"number": r.randint(1, 300)}
        if r.random() < 0.5:
            mins["recipients"] = ["Lưu Văn phòng", "Các đồng chí dự hội nghị"]
        secretary, chair = m["secretary"][0], m["chair"][0]
        mins["signatures"] = [{"role": "Thư ký", "name": secretary["name"]},
                              {"role": "Chủ trì hội nghị" if conv == "party" else "Chủ tọa",
                               "position": g.pick(POSTS), "name": chair["name"]}]
        rec["minutes"] = mins

    if kinds in ("both", "resolution"):
        res = {"subject": "về %s năm %d" % (topic, year + 1)}
        if r.random() < 0.9:
            res["number"] = r.randint(1, 500)
        if kinds == "resolution" or r.random() < 0.5:
            res["date"] = date
        if conv == "state":
            res["authority"] = rec["issuer"]["name"]
            res["bases"] = ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                            "Căn cứ %s;" % g.sentence(year)[:-1]] + \
                           (["Xét Tờ trình số %d/TTr-UBND của Ủy ban nhân dân." % r.randint(1, 200)]
                            if r.random() < 0.7 else [])
        else:
            if r.random() < (0 if tiny else 0.5):
                res["preamble"] = g.para(year, 1, 3) if r.random() < 0.5 else [g.para(year, 1, 2), g.para(year, 1, 2)]
            if r.random() < 0.6:
                res["bases"] = ["Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
                                "Căn cứ Quy định số 24-QĐ/TW của Ban Chấp hành Trung ương;"]
        blocks, got = [], 0
        use_articles = conv == "state" and r.random() < 0.85
        style = r.choice(["flat", "levels", "deep"])
        h = 0
        while got < words_wanted or not blocks:
            if use_articles:
                if r.random() < 0.5:
                    a = {"article": g.para(year, 1, 4)}
                else:
                    a = {"article": [g.para(year, 1, 3)] + g.items(year, r.randint(1, 4))}
                if r.random() < 0.6:
                    a["title"] = g.pick(ROMAN_TITLES)
                blocks.append(a)
                got += len(json.dumps(a, ensure_ascii=False).split())
                continue
            level = 1 if style == "flat" else (1 if h % 3 == 0 else 2) if style == "levels" else 1 + h % 3
            if r.random() < 0.3 or not blocks:
                blocks.append({"heading": g.pick(ROMAN_TITLES), "level": level})
                h += 1
            if r.random() < 0.3:
                blocks.append({"items": g.items(year, r.randint(2, 6))})
            else:
                blocks.append({"paragraph": g.para(year)})
            got += len(json.dumps(blocks[-1], ensure_ascii=False).split())
        if blocks and "heading" in blocks[-1]:
            blocks.append({"paragraph": g.para(year)})
        res["body"] = blocks
        nrec = r.randint(1, 8)
        res["recipients"] = (["Như Điều %d" % r.randint(2, 4)] if conv == "state" else ["Ban Thường vụ (để báo cáo)"]) + \
                            ["Lưu Văn phòng"] + ["Các %s" % g.pick(SUBJ) for _ in range(nrec - 2)]
        sig = {"position": g.pick(POSTS), "name": g.name()}
        if r.random() < 0.8:
            sig["authority"] = "T/M Ban Chấp hành" if conv == "party" else "TM. %s" % body
        res["signature"] = sig
        rec["resolution"] = res
    return rec


def targets(g, count):
    """Pages aimed at: every value 1..15, weighted toward short documents."""
    ts = [1 + i % 15 for i in range(count)]         # each value at least count/15 times
    weights = [15 - t + 3 for t in range(1, 16)]
    for i in range(count):
        if i % 3 == 2:                              # a third drawn, short ones likelier
            ts[i] = g.r.choices(range(1, 16), weights)[0]
    return ts


def write_corpus(outdir, count, jsonl, seed):
    g = Gen(seed)
    os.makedirs(outdir, exist_ok=True)
    all_recs = []
    ts = targets(g, count + jsonl)
    for i in range(count + jsonl):
        conv = "party" if i % 2 == 0 else "state"
        kinds = "both" if i % 7 not in (3, 5) else ("resolution" if i % 7 == 3 else "minutes")
        all_recs.append(make_record(g, i + 1, ts[i], conv, kinds, 2018 + i % 8))
    for rec in all_recs[:count]:
        with open(os.path.join(outdir, rec["id"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(rec, f, ensure_ascii=False, indent=1)
            f.write("\n")
    with open(os.path.join(outdir, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for rec in all_recs[count:]:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print("%s: %d records as .json, %d in corpus.jsonl" % (outdir, count, jsonl))


def write_repeat(outdir, path, total, max_pages):
    src = []
    for name in sorted(os.listdir(outdir)):
        if name.startswith("corpus-") and name.endswith(".json"):
            with open(os.path.join(outdir, name), encoding="utf-8") as f:
                rec = json.load(f)
            if "resolution" in rec and int(rec["id"].rsplit("-p", 1)[1]) <= max_pages:
                src.append(rec)
    if not src:
        sys.exit("gen-corpus: no record of at most %d pages in %s" % (max_pages, outdir))
    lines = [None] * len(src)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(total):
            k = i % len(src)
            if lines[k] is None:
                lines[k] = json.dumps(src[k], ensure_ascii=False)
            old = '"id": "%s"' % src[k]["id"]
            f.write(lines[k].replace(old, '"id": "rep-%05d-%s"' % (i + 1, src[k]["id"]), 1) + "\n")
    print("%s: %d records repeated from %d" % (path, total, len(src)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=200, help="records written as .json files (default 200)")
    ap.add_argument("--jsonl", type=int, default=40, help="further records in OUTDIR/corpus.jsonl (default 40)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", metavar="FILE.jsonl", help="write FILE.jsonl repeating OUTDIR's records")
    ap.add_argument("--total", type=int, default=10000, help="with --repeat: records to write")
    ap.add_argument("--max-pages", type=int, default=3, help="with --repeat: only records aimed at this many pages or fewer")
    a = ap.parse_args()
    if a.repeat:
        write_repeat(a.outdir, a.repeat, a.total, a.max_pages)
    else:
        write_corpus(a.outdir, a.count, a.jsonl, a.seed)


if __name__ == "__main__":
    main()
