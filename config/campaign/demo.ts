// The demo campaign's file (`jianguan dev`), beside the sample plan's folder.
import path from 'node:path';
import { REPO_ROOT } from '../runtime';

export const DEMO_CAMPAIGN_FILE = path.join(REPO_ROOT, 'config', 'campaigns', 'demo.yaml');
