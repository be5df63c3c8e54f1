#!/bin/sh
# One-shot (temporalio/admin-tools), after the server is up: the namespace and the typed search attributes that
# leadership filters on in the Web UI (DESIGN §6). Idempotent: what exists is left alone.
#
# The list below mirrors workflows/search-attributes.ts (the source of truth). `jianguan setup` registers the same
# attributes from the code, so an operator without this compose file can run that instead.
set -eu

ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
NAMESPACE=${TEMPORAL_NAMESPACE:-default}
RETENTION=${TEMPORAL_NAMESPACE_RETENTION:-30d}

SEARCH_ATTRIBUTES="
Jurisdiction:Keyword
CampaignId:Keyword
CampaignKind:Keyword
InstitutionId:Keyword
InstitutionKind:Keyword
Stage:Keyword
CampaignYear:Int
DueAt:Datetime
Overdue:Bool
InstitutionName:Keyword
StageLabel:Keyword
ReferralAwaitingAck:Bool
"

retry() { # retry <what> <command…>: up to 30 attempts, 2 s apart
  what=$1
  shift
  tries=0
  until "$@"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then
      echo "gave up: ${what}" >&2
      return 1
    fi
    echo "not yet: ${what} (attempt ${tries})"
    sleep 2
  done
}

retry "Temporal server at ${ADDRESS} healthy" temporal operator cluster health --address "$ADDRESS"

if temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
  echo "namespace ${NAMESPACE} exists"
else
  retry "create namespace ${NAMESPACE}" \
    temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS"
fi

list_attributes() {
  temporal operator search-attribute list --namespace "$NAMESPACE" --address "$ADDRESS" > /tmp/search-attributes.txt
}

# A new namespace takes a few seconds to reach every frontend's cache: retry until it can be listed.
retry "list search attributes of ${NAMESPACE}" list_attributes

for entry in $SEARCH_ATTRIBUTES; do
  name=${entry%%:*}
  type=${entry##*:}
  if grep -qw "$name" /tmp/search-attributes.txt; then
    echo "search attribute ${name} exists"
  else
    retry "create search attribute ${name} (${type})" \
      temporal operator search-attribute create --namespace "$NAMESPACE" --address "$ADDRESS" --name "$name" --type "$type"
  fi
done

# Check the result rather than trusting the exit codes above.
list_attributes
missing=""
for entry in $SEARCH_ATTRIBUTES; do
  name=${entry%%:*}
  grep -qw "$name" /tmp/search-attributes.txt || missing="${missing} ${name}"
done
if [ -n "$missing" ]; then
  echo "search attributes still missing in ${NAMESPACE}:${missing}" >&2
  exit 1
fi
echo "namespace ${NAMESPACE} is ready with the jianguan search attributes"
