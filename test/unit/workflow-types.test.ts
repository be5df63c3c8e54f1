// Activities, the CLI and the workers start some workflows by their type's name (from each process's api module, so
// that they never import workflow code): each name must be a type the worker registers.
import { describe, expect, it } from 'vitest';
import * as registered from '../../workflows';
import { ANNUAL_CYCLE_WORKFLOW_TYPE, YEAR_STARTER_WORKFLOW_TYPE } from '../../workflows/annual-cycle/api';
import { CAMPAIGN_WORKFLOW_TYPE } from '../../workflows/campaign/api';
import { CASE_WORKFLOW_TYPE } from '../../workflows/case/api';
import { LEDGER_IDENTITY_WORKFLOW_TYPE } from '../../workflows/ledger-identity/api';
import { POINTS_WORKFLOW_TYPE } from '../../workflows/points/api';
import { SELF_CHECK_WORKFLOW_TYPE, SPECIAL_CAMPAIGN_WORKFLOW_TYPE } from '../../workflows/special-campaign/api';

describe('workflow types started by name', () => {
  it.each([
    ANNUAL_CYCLE_WORKFLOW_TYPE,
    YEAR_STARTER_WORKFLOW_TYPE,
    CAMPAIGN_WORKFLOW_TYPE,
    CASE_WORKFLOW_TYPE,
    LEDGER_IDENTITY_WORKFLOW_TYPE,
    POINTS_WORKFLOW_TYPE,
    SPECIAL_CAMPAIGN_WORKFLOW_TYPE,
    SELF_CHECK_WORKFLOW_TYPE,
  ])('%s is registered', (type) => {
    expect(Object.keys(registered)).toContain(type);
  });
});
