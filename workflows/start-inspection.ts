// Starting one institution's inspection as a child workflow (a small campaign, a flying check, a shard of a large
// campaign recorded before campaigns started their inspections from an activity). The options are shared with the
// start activity: see ./inspection-start.ts.
import { startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import { inspection } from './inspection';
import { inspectionStartOptions, type InspectedInstitution, type InspectionContext } from './inspection-start';

export { contextFromPlan, inspectionWorkflowId, type InspectedInstitution, type InspectionContext } from './inspection-start';

export function startInspection(ctx: InspectionContext, institution: InspectedInstitution): Promise<ChildWorkflowHandle<typeof inspection>> {
  return startChild(inspection, inspectionStartOptions(ctx, institution));
}
