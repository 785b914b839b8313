// `kindred directory …` and `kindred group list-request`, as real processes against a real relay:
// an owner asks to list a group, the operator approves it (the running relay's admin socket),
// a reader refreshes, searches by a synonym, shows and asks to join. Unknown listings and bad
// options are coded errors.
import { describe, expect, it } from 'vitest';
import { requestAdmin } from '../../server/ops/AdminSocket.js';
import { useTestRelay } from './helpers.js';
import type { CliHome } from './kindredCommand.js';
import { expectFailure, initHome, jsonLines, kindred } from './kindredCommand.js';

const relay = useTestRelay();

async function home(name: string): Promise<CliHome> {
  const made = await initHome(relay.dirs, relay.url, name);
  return { ...made, args: [...made.args, '--json'] };
}

describe('kindred directory', () => {
  it('lists, finds, shows and joins a group; coded errors otherwise', async () => {
    const [owner, reader] = await Promise.all([home('Owner Dir'), home('Reader Dir')]);
    const [created] = jsonLines(
      await kindred([
        'group',
        'create',
        'Sarcoma Thursdays',
        '--approval',
        '--persona',
        'current',
        ...owner.args,
      ]),
    );
    const groupId = String(created?.group);
    const [requested] = jsonLines(
      await kindred([
        'group',
        'list-request',
        groupId,
        '--condition',
        'c:sarcoma',
        '--condition',
        'desmoid tumour',
        '--for',
        'patients',
        '--language',
        'en',
        '--region',
        'GB',
        '--rhythm',
        'weekly chat, Thursdays',
        '--description',
        'Adults treated for sarcoma.',
        ...owner.args,
      ]),
    );
    expect(requested).toMatchObject({ event: 'listing-requested', group: groupId });
    expect(
      await requestAdmin(relay.running.dataDir, {
        command: 'directory',
        action: 'approve',
        groupId,
      }),
    ).toMatchObject({ ok: true });

    const [synced] = jsonLines(await kindred(['directory', 'refresh', ...reader.args]));
    expect(synced).toMatchObject({ kind: 'directorySync', listings: 1, refused: 0 });
    const found = jsonLines(
      await kindred([
        'directory',
        'search',
        '--condition',
        'Desmoid Tumour',
        '--for',
        'patients',
        ...reader.args,
      ]),
    );
    expect(found).toMatchObject([{ kind: 'listing', groupId, name: 'Sarcoma Thursdays' }]);
    const [shown] = jsonLines(await kindred(['directory', 'show', groupId, ...reader.args]));
    expect(shown).toMatchObject({
      joinByApproval: true,
      members: '1-10',
      region: 'GB',
      openToJoin: true,
    });
    const [joined] = jsonLines(
      await kindred(['directory', 'join', groupId, '--introduction', 'Hello', ...reader.args]),
    );
    expect(joined).toMatchObject({ event: 'group-joined', group: groupId, status: 'requested' });
    const [listed] = jsonLines(await kindred(['directory', 'list', ...reader.args]));
    expect(listed).toMatchObject({ kind: 'directory', home: true, listings: 1 });

    expectFailure(
      await kindred(['directory', 'show', '00'.repeat(16), ...reader.args]),
      'CORE_LISTING_NOT_FOUND',
    );
    expectFailure(
      await kindred([
        'group',
        'list-request',
        groupId,
        '--condition',
        'c:sarcoma',
        '--for',
        'everyone',
        '--language',
        'en',
        ...owner.args,
      ]),
      'CLI_USAGE',
    );
  }, 300_000);
});
