// Failure messages and stack traces travel encrypted like payloads: an SMTP refusal names the recipient's address, an
// activity's error may quote what it was given. The converter moves them into the failure's encoded attributes, which
// the payload codec then encrypts. Loaded by path (DataConverter.failureConverterPath) so the workflow bundle uses it too.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
