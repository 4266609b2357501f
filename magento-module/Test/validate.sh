#!/usr/bin/env bash
# Every check of the PHP module that runs without Magento:
#   1. php -l on every PHP file;
#   2. etc/async_events.xsd against the async_events.xml fixtures: valid ones must pass, invalid ones
#      must FAIL (checked), plus the repository's fixture async_events.xml files (read-only);
#   3. phpunit.xml.dist against PHPUnit's own schema when it is installed locally;
#   4. every other XML file well-formed (Magento's schemas, urn:magento:..., are not available here);
#   5. the JSON files parse;
#   6. the PHPUnit suite.
# Keeps going after a failure, prints each one, and exits 1 if there was any (2: a tool is missing).
set -uo pipefail

module="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$module/.." && pwd)"
xsd="$module/etc/async_events.xsd"
fixtures="$module/Test/Unit/_files/async_events"
failures=()

fail() {
  failures+=("$1")
  printf 'FAIL %s\n' "$1"
}

section() { printf '\n== %s\n' "$1"; }

for tool in php xmllint phpunit; do
  if ! command -v "$tool" >/dev/null; then
    echo "validate.sh: $tool is not installed (Debian: php-cli, libxml2-utils, phpunit)" >&2
    exit 2
  fi
done

relative() { printf '%s' "${1#"$repo/"}"; }

section "php -l"
count=0
while IFS= read -r -d '' file; do
  count=$((count + 1))
  if ! output="$(php -l "$file" 2>&1)"; then
    fail "php -l $(relative "$file"): $output"
  fi
done < <(find "$module" -name '*.php' -print0 | sort -z)
echo "$count PHP files checked"

section "async_events.xml files against etc/async_events.xsd"
expect_valid=("$fixtures"/valid/*.xml)
expect_invalid=("$fixtures"/invalid/*.xml)
# The repository's fixtures, read-only: what mageos-common-async-events and a custom module declare,
# and the sidecar's own XML fixtures (its parser must agree with the schema on them).
for file in \
  "$repo/fixtures/magento-root/vendor/mage-os/module-common-async-events/etc/async_events.xml" \
  "$repo/fixtures/magento-root/app/code/Acme/Erp/etc/async_events.xml"; do
  if [[ -f "$file" ]]; then
    expect_valid+=("$file")
  else
    fail "repository fixture $(relative "$file") is missing"
  fi
done
shopt -s nullglob
expect_valid+=("$repo"/fixtures/xml/valid/async-events-*.xml)
expect_invalid+=("$repo"/fixtures/xml/invalid/async-events-*.xml)
shopt -u nullglob

for file in "${expect_valid[@]}"; do
  if output="$(xmllint --noout --schema "$xsd" "$file" 2>&1)"; then
    echo "valid   $(relative "$file")"
  else
    fail "$(relative "$file") should validate against async_events.xsd: $output"
  fi
done
for file in "${expect_invalid[@]}"; do
  if xmllint --noout --schema "$xsd" "$file" >/dev/null 2>&1; then
    fail "$(relative "$file") should NOT validate against async_events.xsd, but it does"
  else
    echo "invalid $(relative "$file") (rejected, as expected)"
  fi
done

section "phpunit.xml.dist against PHPUnit's schema"
phpunit_xsd=/usr/share/php/data/PHPUnit/phpunit.xsd
if [[ -f "$phpunit_xsd" ]]; then
  if ! output="$(xmllint --noout --schema "$phpunit_xsd" "$module/phpunit.xml.dist" 2>&1)"; then
    fail "phpunit.xml.dist: $output"
  else
    echo "valid   $(relative "$module/phpunit.xml.dist")"
  fi
else
  echo "note: $phpunit_xsd is not installed; phpunit.xml.dist is only checked for well-formedness below"
fi

section "other XML files well-formed"
while IFS= read -r -d '' file; do
  case "$file" in
    "$fixtures"/*) continue ;; # validated against the schema above
  esac
  if output="$(xmllint --noout "$file" 2>&1)"; then
    echo "well-formed $(relative "$file")"
  else
    fail "$(relative "$file") is not well-formed: $output"
  fi
done < <(find "$module" \( -name '*.xml' -o -name '*.xsd' -o -name '*.xml.dist' \) -print0 | sort -z)

section "JSON files parse"
for file in "$module/composer.json" "$module/etc/db_schema_whitelist.json"; do
  if output="$(php -r 'json_decode(file_get_contents($argv[1]), true, 512, JSON_THROW_ON_ERROR);' "$file" 2>&1)"; then
    echo "parses  $(relative "$file")"
  else
    fail "$(relative "$file") is not valid JSON: $output"
  fi
done

section "phpunit"
if ! (cd "$module" && phpunit -c phpunit.xml.dist); then
  fail "phpunit (see its output above)"
fi

echo
if ((${#failures[@]} > 0)); then
  echo "validate.sh: ${#failures[@]} check(s) failed:"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
echo "validate.sh: all checks passed"
