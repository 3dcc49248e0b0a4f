# vanban — see README.md.  Dependencies come from Debian packages through
# pkg-config (libharu ships no .pc: -lhpdf).
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS     = freetype2 fontconfig libzip jansson libutf8proc harfbuzz harfbuzz-subset
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror=implicit-function-declaration
CPPFLAGS += -DVB_DATADIR='"$(PREFIX)/share/vanban"' $(PKG_CFLAGS)
override LDLIBS += $(PKG_LIBS) -lhpdf -lpthread -lm

SRC   := $(filter-out render/main.c,$(wildcard render/*.c))
OBJ   := $(SRC:render/%.c=build/%.o)
UNIT  := $(wildcard tests/unit/*.c)

.PHONY: all test check bench install uninstall clean samples fuzz
all: vanban

build/%.o: render/%.c $(wildcard render/*.h) | build
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
build:
	mkdir -p build

build/libvanban.a: $(OBJ)
	rm -f $@; ar rcs $@ $^

vanban: build/main.o build/libvanban.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/unit-%: tests/unit/%.c build/libvanban.a $(wildcard render/*.h)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Irender -o $@ $< build/libvanban.a $(LDLIBS)

UNIT_BINS := $(UNIT:tests/unit/%.c=build/unit-%)

# The whole suite: unit tests, then the end-to-end runners in tests/.
test: vanban $(UNIT_BINS)
	tests/run-all.sh

# The suite again under AddressSanitizer + UndefinedBehaviorSanitizer, in a
# separate build tree so the normal binary is untouched.
check:
	$(MAKE) -s clean-san
	$(MAKE) BUILD_SAN=1 CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined" test
	$(MAKE) -s clean-san

# libFuzzer targets (clang, ASan+UBSan) for FUZZ_SECONDS each: fuzz/README.md
fuzz:
	fuzz/run.sh

clean-san:
	rm -rf build vanban

samples: vanban
	tools/render-samples.sh

bench: vanban
	tools/bench.sh

install: vanban
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/vanban
	install -m 755 vanban $(DESTDIR)$(PREFIX)/bin/vanban
	cp -r templates fonts $(DESTDIR)$(PREFIX)/share/vanban/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vanban
	rm -rf $(DESTDIR)$(PREFIX)/share/vanban

clean:
	rm -rf build vanban out
