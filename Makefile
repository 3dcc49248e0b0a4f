# vanban — see README.md.  Dependencies come from Debian packages through
# pkg-config.
PREFIX  ?= /usr/local
DESTDIR ?=
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
PKGS     = freetype2 fontconfig libzip libdeflate jansson libutf8proc harfbuzz harfbuzz-subset icu-uc libmicrohttpd sqlite3 libcrypto libpng
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror=implicit-function-declaration
CPPFLAGS += -DVB_DATADIR='"$(PREFIX)/share/vanban"' -DVB_LOCALEDIR='"$(PREFIX)/share/vanban/locale"' $(PKG_CFLAGS)
override LDLIBS += $(PKG_LIBS) -lpthread -lm

# B is the build folder and BIN the binary: `make check` builds a second,
# sanitized tree in build-san/ so the normal one is untouched.
B     ?= build
BIN   ?= vanban
SRC   := $(filter-out render/main.c,$(wildcard render/*.c))
OBJ   := $(SRC:render/%.c=$(B)/%.o)
UNIT  := $(wildcard tests/unit/*.c)
# The translations (po/, docs/i18n.md): compiled into $(B)/locale, where
# the binary finds them beside itself or as build/locale.
LINGUAS := vi
MO    := $(LINGUAS:%=$(B)/locale/%/LC_MESSAGES/vanban.mo)

.PHONY: all test check bench bench-serve install uninstall clean samples fuzz units po-update FORCE
all: $(BIN)

$(B)/%.o: render/%.c $(wildcard render/*.h) | $(B)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
$(B):
	mkdir -p $(B)

# engine.c has the data folder ($(PREFIX)/share/vanban) built in: a stamp
# that changes with PREFIX rebuilds it, so `make install PREFIX=/usr` after
# a plain `make` installs a binary that finds its data.
$(B)/datadir.stamp: FORCE | $(B)
	@echo '$(PREFIX)/share/vanban' | cmp -s - $@ || echo '$(PREFIX)/share/vanban' > $@
$(B)/engine.o: $(B)/datadir.stamp
FORCE:

$(B)/libvanban.a: $(OBJ)
	rm -f $@; ar rcs $@ $^

# the messages are built with the binary (order-only: a new translation
# does not relink it); --check refuses a translation whose printf
# conversions differ from the English
$(BIN): $(B)/main.o $(B)/libvanban.a | $(MO)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/locale/%/LC_MESSAGES/vanban.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@.tmp $< && mv $@.tmp $@

# re-extract the messages of render/*.c into po/vi.po and count what is left
po-update:
	tools/po-update.sh

$(B)/unit-%: tests/unit/%.c $(B)/libvanban.a $(wildcard render/*.h) tests/unit/check.h
	$(CC) $(CPPFLAGS) $(CFLAGS) -Irender -Itests/unit -o $@ $< $(B)/libvanban.a $(LDFLAGS) $(LDLIBS)

UNIT_BINS := $(UNIT:tests/unit/%.c=$(B)/unit-%)
units: $(BIN) $(UNIT_BINS)

# The whole suite: unit tests, then the end-to-end runners in tests/.
test: units
	VANBAN=./$(BIN) VB_UNIT_DIR=$(B) tests/run-all.sh

# The suite under valgrind (the normal build: no errors, no leaks), then
# again under AddressSanitizer + UndefinedBehaviorSanitizer in build-san/.
SAN = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
check: units
	tools/valgrind-check.sh ./$(BIN) $(B)
	$(MAKE) B=build-san BIN=build-san/vanban CFLAGS="$(SAN)" LDFLAGS="-fsanitize=address,undefined" units
	VANBAN=./build-san/vanban VB_UNIT_DIR=build-san tests/run-all.sh

# libFuzzer targets (clang, ASan+UBSan) for FUZZ_SECONDS each: fuzz/README.md
fuzz:
	fuzz/run.sh

samples: vanban
	tools/render-samples.sh

# batch speed and memory (tools/bench.sh), then the load test of
# `vanban serve` (tools/serve-bench.py: preview server time, requests/s,
# p50/p95 latency, RSS)
bench: vanban
	tools/bench.sh
	tools/serve-bench.py

bench-serve: vanban
	tools/serve-bench.py

install: vanban
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/vanban $(DESTDIR)$(MANDIR)/man1
	install -m 755 vanban $(DESTDIR)$(PREFIX)/bin/vanban
	cp -r templates fonts $(DESTDIR)$(PREFIX)/share/vanban/
	install -m 644 docs/vanban.1 $(DESTDIR)$(MANDIR)/man1/vanban.1
	for l in $(LINGUAS); do \
	  install -d $(DESTDIR)$(PREFIX)/share/vanban/locale/$$l/LC_MESSAGES && \
	  install -m 644 $(B)/locale/$$l/LC_MESSAGES/vanban.mo $(DESTDIR)$(PREFIX)/share/vanban/locale/$$l/LC_MESSAGES/vanban.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vanban $(DESTDIR)$(MANDIR)/man1/vanban.1
	rm -rf $(DESTDIR)$(PREFIX)/share/vanban

clean:
	rm -rf build build-san vanban out
