/** What every benchmark message says: the crypto suite's 140 bytes of text, as a string. */
import { fromUtf8 } from '../../core/index.js';
import { PAYLOAD } from '../workloads.js';

export const MESSAGE_TEXT = fromUtf8(PAYLOAD);
