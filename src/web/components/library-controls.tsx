import type { FC } from 'hono/jsx';
import { TAG_MAX_LENGTH } from '../../domain/accounts.ts';
import type { LibraryItem } from '../../services/library.service.ts';
import { CsrfField } from '../layout.tsx';

export interface LibraryControlsProps {
  paperId: number;
  /** The viewer's library entry for this paper; undefined when not saved. */
  item: Pick<LibraryItem, 'tags' | 'note'> | undefined;
  csrf: string;
  signedIn: boolean;
  /** Where the forms come back to (a path on this site). */
  returnTo: string;
  /** Show the note form too (the library page does; a paper page may). */
  withNote?: boolean;
  /** Names the paper in the buttons' accessible names where many papers share a page. */
  paperTitle?: string | undefined;
}

/**
 * Save / remove, tags and note for one paper, as plain forms (they work without JavaScript).
 * For any page that shows a paper: `<LibraryControls paperId={p.id}
 * item={viewer && c.var.app.library.item(viewer.id, p.id)} … />`.
 */
export const LibraryControls: FC<LibraryControlsProps> = ({
  paperId,
  item,
  csrf,
  signedIn,
  returnTo,
  withNote,
  paperTitle,
}) => {
  if (!signedIn) {
    return (
      <p class="library-controls">
        <a href={`/signin?next=${encodeURIComponent(returnTo)}`}>Sign in to save this paper</a>
      </p>
    );
  }
  const hidden = (
    <>
      <CsrfField token={csrf} />
      <input type="hidden" name="paper" value={String(paperId)} />
      <input type="hidden" name="next" value={returnTo} />
    </>
  );
  if (!item) {
    return (
      <form method="post" action="/library/save" class="library-controls">
        {hidden}
        <button type="submit">Save to library</button>
      </form>
    );
  }
  return (
    <div class="library-controls">
      <div>
        <span class="saved">In your library</span>{' '}
        <form method="post" action="/library/unsave" class="inline">
          {hidden}
          <button
            type="submit"
            class="secondary"
            {...(paperTitle ? { 'aria-label': `Remove “${paperTitle}” from your library` } : {})}
          >
            Remove
          </button>
        </form>
      </div>
      <ul class="tags" aria-label="Your tags on this paper">
        {item.tags.map((tag) => (
          <li class="tag">
            <a href={`/library?tag=${encodeURIComponent(tag)}`}>{tag}</a>{' '}
            <form method="post" action="/library/untag" class="inline">
              {hidden}
              <input type="hidden" name="tag" value={tag} />
              <button type="submit" class="link" aria-label={`Remove tag ${tag}`}>
                ×
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action="/library/tag" class="add-tag">
        {hidden}
        <label for={`tag-${paperId}`} class="visually-hidden">
          Add a tag
        </label>
        <input
          id={`tag-${paperId}`}
          name="tag"
          type="text"
          placeholder="add a tag"
          maxlength={TAG_MAX_LENGTH}
          required
        />{' '}
        <button type="submit" class="secondary">
          Tag
        </button>
      </form>
      {withNote ? (
        <form method="post" action="/library/note" class="note">
          {hidden}
          <label for={`note-${paperId}`}>Note</label>
          <textarea id={`note-${paperId}`} name="note" rows={3}>
            {item.note}
          </textarea>
          <button type="submit" class="secondary">
            Save note
          </button>
        </form>
      ) : null}
    </div>
  );
};
