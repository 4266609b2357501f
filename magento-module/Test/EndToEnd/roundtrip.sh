#!/usr/bin/env bash
# Self-test of publish.php against the local RabbitMQ, without the sidecar: in a scratch vhost,
# declare what the sidecar would (broker.php declare), publish with publish.php, take the message
# back and compare body and properties; then check that publishing fails loudly without the exchange.
# Needs rabbitmqctl (run as a user allowed to add vhosts). The vhosts are deleted on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
suffix="$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
vhost="mageos_module_e2e_${suffix}"
empty_vhost="mageos_module_e2e_empty_${suffix}"
failures=0

cleanup() {
  rabbitmqctl --quiet delete_vhost "$vhost" >/dev/null 2>&1 || true
  rabbitmqctl --quiet delete_vhost "$empty_vhost" >/dev/null 2>&1 || true
}
trap cleanup EXIT

for v in "$vhost" "$empty_vhost"; do
  rabbitmqctl --quiet add_vhost "$v" >/dev/null
  rabbitmqctl --quiet set_permissions -p "$v" guest '.*' '.*' '.*' >/dev/null
done
url="amqp://guest:guest@127.0.0.1:5672/${vhost}"

check() { # name expected actual
  if [[ "$2" == "$3" ]]; then
    echo "ok   $1"
  else
    echo "FAIL $1"; echo "     expected: $2"; echo "     actual:   $3"; failures=$((failures + 1))
  fi
}

php "$here/broker.php" declare "$url"

printed="$(php "$here/publish.php" --amqp-url "$url" --event sales.order.created \
  --data '{"id":"5","url":"https://shop.test/a?b=1","name":"Crème"}' --store 1)"
taken="$(php "$here/broker.php" take "$url")"
field() { php -r '$m = json_decode(stream_get_contents(STDIN), true); $v = $m'"$1"' ?? null; echo is_string($v) ? $v : json_encode($v);' <<<"$taken"; }

expected='["sales.order.created","{\"id\":\"5\",\"url\":\"https:\\\/\\\/shop.test\\\/a?b=1\",\"name\":\"Cr\\u00e8me\"}","1"]'
check "printed body is PHP's flag-less json_encode" "$expected" "$printed"
check "the broker holds exactly the printed bytes" "$printed" "$(field "['body']")"
check "exchange magento" "magento" "$(field "['exchange']")"
check "routing key event.trigger" "event.trigger" "$(field "['routing_key']")"
check "delivery_mode 2" "2" "$(field "['properties']['delivery_mode']")"
message_id="$(field "['properties']['message_id']")"
check "message_id is 32 hex characters" "yes" "$([[ "$message_id" =~ ^[0-9a-f]{32}$ ]] && echo yes || echo "no: $message_id")"
check "only delivery_mode and message_id (no content type, no headers)" '["delivery_mode","message_id"]' \
  "$(php -r '$p = json_decode(stream_get_contents(STDIN), true)["properties"]; ksort($p); echo json_encode(array_keys($p));' <<<"$taken")"

printed="$(php "$here/publish.php" --amqp-url "$url" --event customer.created --data '{"id":"9"}')"
check "store id defaults to \"0\"" '["customer.created","{\"id\":\"9\"}","0"]' "$printed"
php "$here/broker.php" take "$url" >/dev/null

set +e
output="$(php "$here/publish.php" --amqp-url "amqp://guest:guest@127.0.0.1:5672/${empty_vhost}" \
  --event sales.order.created --data '{"id":"5"}' 2>&1)"
status=$?
set -e
check "no exchange: exit 1" "1" "$status"
check "no exchange: says why" "yes" "$([[ "$output" == *"publishing failed"*"NOT_FOUND"* ]] && echo yes || echo "no: $output")"

set +e
output="$(php "$here/publish.php" --amqp-url "amqp://guest:guest@127.0.0.1:1/x" --event e --data '{}' 2>&1)"
status=$?
set -e
check "broker unreachable: exit 1" "1" "$status"

if ((failures > 0)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "publish.php round trip: all checks passed"
