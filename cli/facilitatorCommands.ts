import type { Command } from 'commander';
import type { CommonOptions } from './actions.js';
import { withClient } from './commandClient.js';
import { formatOwnCredential } from './facilitatorFormat.js';

/**
 * `kindred facilitator add|remove|show` (docs/directory.md, "Facilitators"): the main persona's
 * facilitator credentials, issued by its relay's operator (`kindred-server facilitator issue`),
 * shown as a badge beside its pseudonym in every group it is in.
 */
export function addFacilitatorCommands(
  program: Command,
  common: (command: Command) => Command,
): void {
  const facilitator = program
    .command('facilitator')
    .description('your facilitator credential, shown as a badge in your groups');

  common(facilitator.command('add'))
    .description('check a credential the operator issued to you and show it in your groups')
    .argument('<credential>', 'the credential, as `kindred-server facilitator issue` printed it')
    .action((credential: string, options: CommonOptions) =>
      withClient(options, async (client, out) => {
        const view = await client.facilitator.add(credential);
        const formatted = formatOwnCredential(view, Date.now());
        out.emit({ event: 'facilitator-added', ...formatted.record }, formatted.human);
      }),
    );

  common(facilitator.command('remove'))
    .description('stop showing a credential (all of them without an id) and forget it')
    .argument('[credential-id]', 'the id `kindred facilitator show` lists')
    .action((credentialId: string | undefined, options: CommonOptions) =>
      withClient(options, async (client, out) => {
        const removed = await client.facilitator.remove(credentialId);
        out.emit(
          { event: 'facilitator-removed', removed },
          removed === 0 ? 'No such credential.' : `Removed ${removed} credential(s).`,
        );
      }),
    );

  common(facilitator.command('show'))
    .description('your credentials, whether each is valid, and which one your groups see')
    .action((options: CommonOptions) =>
      withClient(options, async (client, out) => {
        const now = Date.now();
        const views = await client.facilitator.show();
        for (const view of views) {
          const formatted = formatOwnCredential(view, now);
          out.emit(formatted.record, formatted.human);
        }
        if (views.length === 0 && !out.json) out.emit({}, 'No facilitator credential.');
      }),
    );
}
