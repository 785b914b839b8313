// `kindred journal …`, as real processes against a real relay: an author creates a journal and
// a follow link, a follower follows, receives an update, answers with support that the author
// sees, and the author removes them. A vault without a journal gets a coded error.
import { describe, expect, it } from 'vitest';
import { useTestRelay } from './helpers.js';
import type { CliHome } from './kindredCommand.js';
import { expectFailure, initHome, jsonLines, kindred } from './kindredCommand.js';

const relay = useTestRelay();

async function home(name: string): Promise<CliHome> {
  const made = await initHome(relay.dirs, relay.url, name);
  return { ...made, args: [...made.args, '--json'] };
}

describe('kindred journal', () => {
  it('posts an update to a follower, who answers the author alone; the author removes them', async () => {
    const [pat, ada] = await Promise.all([home('Pat Journal'), home('Ada Journal')]);
    const created = jsonLines(await kindred(['journal', 'create', 'Pat’s diary', ...pat.args]));
    expect(created[0]).toMatchObject({ event: 'journal-created', title: 'Pat’s diary' });
    const [link] = jsonLines(
      await kindred(['journal', 'link', '--uses', '2', '--expires', '1h', ...pat.args]),
    );
    expect(String(link?.link)).toMatch(/^kindred:follow\//u);
    const [followed] = jsonLines(
      await kindred(['journal', 'follow', String(link?.link), '--pseudonym', 'Ada F', ...ada.args]),
    );
    expect(followed).toMatchObject({ event: 'journal-followed', title: 'Pat’s diary' });
    // The author's journal persona takes the introduction when it next receives.
    jsonLines(await kindred(['journal', 'updates', ...pat.args]));
    const [posted] = jsonLines(
      await kindred(['journal', 'post', 'Out of hospital today', ...pat.args]),
    );
    expect(posted).toMatchObject({ event: 'journal-posted', sentTo: 1, refused: 0 });

    const feed = jsonLines(await kindred(['journal', 'updates', ...ada.args]));
    expect(feed).toMatchObject([{ kind: 'journalUpdate', text: 'Out of hospital today' }]);
    const updateId = String(feed[0]?.updateId);
    jsonLines(await kindred(['journal', 'support', updateId, 'Wonderful news!', ...ada.args]));

    const seen = jsonLines(await kindred(['journal', 'updates', ...pat.args]));
    expect(seen).toMatchObject([
      {
        kind: 'journalPost',
        text: 'Out of hospital today',
        hearts: 0,
        support: [{ pseudonym: 'Ada F', text: 'Wonderful news!' }],
      },
    ]);
    const [removed] = jsonLines(await kindred(['journal', 'remove', 'Ada F', ...pat.args]));
    expect(removed).toMatchObject({ event: 'follower-removed', revokedAtRelay: true });
    // Ada's vault keeps no journal of its own: a coded error, not a crash.
    expectFailure(await kindred(['journal', 'followers', ...ada.args]), 'CORE_PERSONA_NOT_FOUND');
  }, 300_000);
});
