#!/usr/bin/env bash
# Re-extract the messages of render/*.c into po/vanban.pot, merge them into
# each po/LANG.po, and say what is left to translate:
#   tools/po-update.sh            update po/*.po, print the counts and the untranslated messages
#   tools/po-update.sh --check    change nothing; only count (tests/i18n.sh)
# Exit 0 when every message is translated and none is fuzzy, 1 otherwise,
# 2 when a gettext tool is missing (Debian package gettext).
# The keywords are the functions that translate their format string
# (docs/i18n.md): a new such function must be added here.
set -euo pipefail
cd "$(dirname "$0")/.."

KEYWORDS=(-k_ -kN_ -kvb_error:3 -kvb_warn:2 -kerror_at:3 -kwarn_at:3 -kfile_error:4 -klerr:4
          -kperr:3 -kserr:2 -kinput_error:2 -kbad_usage:1 -kusage_error:3
          -kreg_usage_error:1 -kserve_usage_error:1)
check=false
[ "${1:-}" = "--check" ] && check=true
for t in xgettext msgmerge msgfmt msgattrib msgcat; do
  command -v "$t" >/dev/null || { echo "po-update: $t is missing (apt-get install gettext)" >&2; exit 2; }
done

pot=po/vanban.pot
$check && pot=$(mktemp --suffix=.pot)
# --sort-output and no line numbers: the file changes only when a message does
xgettext --language=C --from-code=UTF-8 --no-wrap --sort-output --add-location=file \
  --package-name=vanban --msgid-bugs-address=vanban --copyright-holder="" \
  "${KEYWORDS[@]}" -o "$pot" render/*.c
# The messages of the templates' @require lines (data, translated by
# template.c when the catalogue has them), through a C file of _() calls.
req=$(mktemp -d)
trap 'rm -rf "$req"; $check && rm -f "$pot"' EXIT
for tpl in templates/*/*.tpl; do
  [ -f "$tpl" ] || continue
  sed -n 's/^@require  *[^ ]*  *\(.*[^ ]\) *$/\1/p' "$tpl" | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/_("&");/'
done >"$req/templates-require.c"
xgettext --language=C --from-code=UTF-8 --no-wrap --sort-output --add-location=never \
  --package-name=vanban -k_ -o "$req/require.pot" "$req/templates-require.c"
if [ -s "$req/require.pot" ]; then
  # located at the templates, not at the temporary file
  sed -i '/^msgid ""$/!s/^msgid /#: templates\/*\/*.tpl (@require)\nmsgid /' "$req/require.pot"
  msgcat --no-wrap --sort-output --use-first -o "$pot" "$pot" "$req/require.pot"
fi
# xgettext stamps the time; keep the file the same for the same sources
sed -i '/^"POT-Creation-Date:/d' "$pot"

bad=0
for po in po/*.po; do
  lang=$(basename "$po" .po)
  merged=$po
  if $check; then merged=$(mktemp --suffix=.po); fi
  [ "$merged" = "$po" ] || cp "$po" "$merged"
  msgmerge --quiet --no-wrap --sort-output --update --backup=none "$merged" "$pot"
  # messages in the .po that the sources no longer have are marked obsolete (#~)
  untranslated=$(msgattrib --untranslated --no-obsolete "$merged" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$merged" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry (msgid "") as well
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  total=$(msgattrib --no-obsolete "$merged" | grep -c '^msgid ' || true)
  total=$((total - 1))
  echo "$lang: $total messages, $untranslated untranslated, $fuzzy fuzzy"
  if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    bad=1
    msgattrib --untranslated --no-obsolete --no-wrap "$merged" | grep '^msgid ' | sed 1d | sed 's/^/  untranslated: /'
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged" | grep '^msgid ' | sed 1d | sed 's/^/  fuzzy: /'
  fi
  msgfmt --check -o /dev/null "$merged" || bad=1
  $check && rm -f "$merged"
done
exit $bad
