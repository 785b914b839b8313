import { useEffect, useId, useState } from 'react';
import type { ConversationId, GroupResourceView } from '../../shared/api.std.js';
import { ConfirmDialog, ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { reachWords } from '../crisis/GroupResources.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useConversationRevision,
  useLoad,
} from '../kindredContext.dom.js';
import { ResourceDialog, type ResourceDraft } from './ResourceDialog.dom.js';

/** The dialog open over the list: adding, editing the resource at `index`, or removing it. */
type Editing =
  | { readonly kind: 'add' }
  | { readonly kind: 'edit'; readonly index: number }
  | { readonly kind: 'remove'; readonly index: number };

/**
 * The row just moved (by its link, unique in a list) and the button that moved it: focus goes
 * back to that button wherever the row lands, so a keyboard can keep moving it.
 */
interface MovedFocus {
  readonly href: string;
  readonly direction: 'up' | 'down';
}

function draftOf(resource: GroupResourceView): ResourceDraft {
  return {
    name: resource.name,
    reach: resource.reach,
    address: resource.address,
    note: resource.note,
  };
}

/**
 * A moderator's view of the group's pinned resources, in the About tab: add, edit, remove and
 * reorder them. Every change saves the whole list at once through `groups.setResources` (the
 * set_info operation the CLI also uses), so core checks it and members see it together; the
 * list shown is always what is saved, read back after each change.
 */
export function ResourceEditor({ conversationId }: { conversationId: ConversationId }) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const id = useId();
  const revision = useConversationRevision(conversationId);
  const loaded = useLoad(`group-resources:${conversationId}`, revision, () =>
    api.call('groups.resources', { conversationId }),
  );
  const [editing, setEditing] = useState<Editing | undefined>(undefined);
  const [movedFocus, setMovedFocus] = useState<MovedFocus | undefined>(undefined);
  const moving = useAction();
  const removing = useAction();
  const resources = loaded.data?.resources ?? [];

  useEffect(() => {
    if (movedFocus === undefined) return;
    const index = resources.findIndex((resource) => resource.href === movedFocus.href);
    const wanted = document.getElementById(`${id}-${index}-${movedFocus.direction}`);
    const other = movedFocus.direction === 'up' ? 'down' : 'up';
    // At the top (or bottom) its own button is disabled: the other one keeps the focus in the row.
    const target =
      wanted instanceof HTMLButtonElement && !wanted.disabled
        ? wanted
        : document.getElementById(`${id}-${index}-${other}`);
    target?.focus();
  }, [id, movedFocus, resources]);

  const save = async (next: readonly ResourceDraft[]) => {
    await api.call('groups.setResources', { conversationId, resources: [...next] });
    loaded.reload();
  };
  const drafts = resources.map(draftOf);
  const move = (index: number, direction: 'up' | 'down') => {
    const to = direction === 'up' ? index - 1 : index + 1;
    const moved = drafts[index];
    const displaced = drafts[to];
    if (moved === undefined || displaced === undefined) return;
    const next = [...drafts];
    next[to] = moved;
    next[index] = displaced;
    moving.run(async () => {
      await save(next);
      setMovedFocus({ href: resources[index]?.href ?? '', direction });
      announce(text('groupResources.moved', { name: moved.name, place: to + 1 }));
    });
  };

  const current =
    editing === undefined || editing.kind === 'add' ? undefined : drafts[editing.index];
  const close = () => {
    setEditing(undefined);
  };
  return (
    <section className="card group-resources" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('groupResources.aboutHeading')}</h2>
      <p className="hint">{text('groupResources.editHint')}</p>
      <ErrorText error={loaded.error ?? moving.error} />
      {loaded.data !== undefined && resources.length === 0 && (
        <p className="hint">{text('groupResources.none')}</p>
      )}
      <ol className="rows">
        {resources.map((resource, index) => (
          <li className="row" key={resource.href}>
            <div className="row-main">
              <span className="row-title" dir="auto">
                {resource.name}
              </span>
              <span className="row-sub" dir="auto">
                {reachWords(resource, text)}
              </span>
              {resource.note !== '' && (
                <span className="row-sub" dir="auto">
                  {resource.note}
                </span>
              )}
            </div>
            <div className="row-actions">
              <button
                id={`${id}-${index}-up`}
                type="button"
                className="button button-quiet"
                aria-label={text('groupResources.moveUpOne', { name: resource.name })}
                disabled={index === 0}
                onClick={() => {
                  move(index, 'up');
                }}
              >
                {text('groupResources.moveUp')}
              </button>
              <button
                id={`${id}-${index}-down`}
                type="button"
                className="button button-quiet"
                aria-label={text('groupResources.moveDownOne', { name: resource.name })}
                disabled={index === resources.length - 1}
                onClick={() => {
                  move(index, 'down');
                }}
              >
                {text('groupResources.moveDown')}
              </button>
              <button
                type="button"
                className="button"
                aria-label={text('groupResources.editOne', { name: resource.name })}
                onClick={() => {
                  setEditing({ kind: 'edit', index });
                }}
              >
                {text('groupResources.edit')}
              </button>
              <button
                type="button"
                className="button button-danger"
                aria-label={text('groupResources.removeOne', { name: resource.name })}
                onClick={() => {
                  removing.clearError();
                  setEditing({ kind: 'remove', index });
                }}
              >
                {text('groupResources.remove')}
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="button"
        disabled={loaded.data === undefined}
        onClick={() => {
          setEditing({ kind: 'add' });
        }}
      >
        <Icon name="plus" />
        {text('groupResources.add')}
      </button>

      {(editing?.kind === 'add' || (editing?.kind === 'edit' && current !== undefined)) && (
        <ResourceDialog
          editing={current}
          onClose={close}
          onSave={async (draft) => {
            const next =
              editing.kind === 'add'
                ? [...drafts, draft]
                : drafts.map((each, index) => (index === editing.index ? draft : each));
            await save(next);
            close();
            announce(text('groupResources.saved'));
          }}
        />
      )}
      {editing?.kind === 'remove' && current !== undefined && (
        <ConfirmDialog
          title={text('groupResources.removeTitle', { name: current.name })}
          confirmLabel={text('groupResources.removeConfirm')}
          danger
          busy={removing.busy}
          error={removing.error}
          onCancel={close}
          onConfirm={() => {
            removing.run(async () => {
              await save(drafts.filter((_, index) => index !== editing.index));
              close();
              announce(text('groupResources.removed', { name: current.name }));
            });
          }}
        >
          <p>{text('groupResources.removeBody')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
