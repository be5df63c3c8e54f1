-- Before 0011 a referral's audit entry named the persons it flagged for the discipline commission (人事同查) in its
-- detail (`persons`). The names are personal data the ledger keeps sealed only (their referral row, sealed by the
-- worker at start: records/ledger/cases.ts sealLegacyReferralPersons). Here the audit entries keep the fact and the
-- number (`flaggedPersons`, as entries since 0011 do) and lose the names: the one change the append-only trail ever
-- takes, made by this migration alone and recorded in the trail itself.
-- PostgreSQL dialect: runs on PGlite and PostgreSQL 15. Applied by records/migrate.ts inside one transaction.
ALTER TABLE audit_trail DISABLE TRIGGER audit_trail_no_update_delete;
WITH redacted AS (
  UPDATE audit_trail
     SET detail = (detail - 'persons') || jsonb_build_object('flaggedPersons', jsonb_array_length(detail -> 'persons'))
   WHERE subject_type = 'case' AND jsonb_typeof(detail -> 'persons') = 'array'
  RETURNING key
)
INSERT INTO audit_trail (key, actor, action, subject_type, subject_id, reason, detail, at)
SELECT 'ledger:0014:redacted-flagged-persons', 'system', 'audit-redacted', 'ledger', 'audit_trail',
       '审计记录中被移送人员姓名已去除，仅保留人数（人员信息加密保存于移送记录）',
       jsonb_build_object('entries', count(*), 'keys', jsonb_agg(key)), now()
  FROM redacted
HAVING count(*) > 0;
ALTER TABLE audit_trail ENABLE TRIGGER audit_trail_no_update_delete;
