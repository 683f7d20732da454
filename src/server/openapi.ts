import { SCOPE_DESCRIPTIONS, SCOPES, type Scope } from '../domain/accounts.ts';

/**
 * The description of every route under `/api`, in one place, served as OpenAPI 3.1 at
 * `/api/openapi.json` and as a page at `/api/docs`. Adding a route under `/api`? Add its
 * operation to `API_OPERATIONS` below (a test fails for any route that is missing here, and
 * for any entry that has no route).
 */

type JsonSchema = Record<string, unknown>;

export interface ApiParameter {
  readonly name: string;
  readonly in: 'query' | 'path';
  readonly description: string;
  readonly type?: 'string' | 'integer' | 'boolean';
  readonly required?: boolean;
  readonly enum?: readonly string[];
}

export interface ApiOperation {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template: `/api/papers/{ref}`. */
  readonly path: string;
  /** The section it is listed under. */
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /**
   * Who may call it: `public` (anyone), `signed-in` (any session or token), or the scope an
   * API token needs (a browser session may do whatever its person may).
   */
  readonly access: 'public' | 'signed-in' | Scope;
  readonly parameters?: readonly ApiParameter[];
  readonly body?: { readonly description: string; readonly schema: JsonSchema };
  /** Status → what comes back; `schema` is JSON unless `mediaType` says otherwise. */
  readonly responses: Readonly<
    Record<
      string,
      { readonly description: string; readonly schema?: JsonSchema; readonly mediaType?: string }
    >
  >;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const listOf = (name: string): JsonSchema => ({ type: 'array', items: ref(name) });
const paging: readonly ApiParameter[] = [
  { name: 'limit', in: 'query', type: 'integer', description: 'how many at most' },
  { name: 'offset', in: 'query', type: 'integer', description: 'how many to skip' },
];
const paperInPath: ApiParameter = {
  name: 'paper',
  in: 'path',
  type: 'integer',
  required: true,
  description: 'the Paperscope id of the paper',
};
const exportFormat: ApiParameter = {
  name: 'format',
  in: 'query',
  description: 'bibtex (default), ris or csl-json',
  enum: ['bibtex', 'ris', 'csl-json'],
};

const SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    properties: { error: { type: 'string', description: 'what went wrong, in words' } },
    required: ['error'],
  },
  Paper: {
    type: 'object',
    description: 'A merged paper: each fact with the sources it came from.',
    properties: {
      id: { type: 'integer' },
      title: { type: ['string', 'null'] },
      abstract: { type: ['string', 'null'] },
      year: { type: ['integer', 'null'] },
      ids: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'arxiv, doi, s2, openalex, …',
      },
      authors: { type: 'array', items: { type: 'object' } },
      sources: { type: 'array', items: { type: 'object' } },
    },
    required: ['id'],
  },
  Author: {
    type: 'object',
    properties: { id: { type: 'integer' }, displayName: { type: 'string' }, paperCount: { type: 'integer' } },
  },
  Viewer: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      email: { type: 'string' },
      isAdmin: { type: 'boolean' },
      via: { enum: ['session', 'token'] },
      scopes: { type: 'array', items: { enum: [...SCOPES] } },
    },
  },
  Token: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      prefix: { type: 'string', description: 'the first characters, to tell tokens apart' },
      scopes: { type: 'array', items: { enum: [...SCOPES] } },
      createdAt: { type: 'string', format: 'date-time' },
      lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
      revokedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  NewToken: {
    allOf: [
      ref('Token'),
      {
        type: 'object',
        properties: { token: { type: 'string', description: 'the secret: shown in this answer only' } },
      },
    ],
  },
  LibraryItem: {
    type: 'object',
    properties: {
      paper: ref('Paper'),
      savedAt: { type: 'string', format: 'date-time' },
      note: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
    },
  },
  TagCount: { type: 'object', properties: { name: { type: 'string' }, count: { type: 'integer' } } },
  Registration: {
    type: 'object',
    properties: { open: { type: 'boolean' }, closedBy: { enum: ['config', 'admin'] } },
  },
};

const ok = (description: string, schema?: JsonSchema) => (schema ? { description, schema } : { description });
const notFound = { description: 'no such thing (or not yours)', schema: ref('Error') };
const bad = { description: 'the request is malformed; the message says how', schema: ref('Error') };
const text = (description: string) => ({ description, mediaType: 'text/plain', schema: { type: 'string' } });

export const API_OPERATIONS: readonly ApiOperation[] = [
  // ---------------------------------------------------------------- knowledge base
  {
    method: 'get',
    path: '/api/search',
    tag: 'Knowledge base',
    summary: 'Search papers with the query language',
    description:
      'A malformed query answers 400: `error` names the place as a column counted from 1 (`unclosed quote at column 8`), `column` repeats it, `offset` and `length` give the part that is wrong in UTF-16 code units from 0, and `pointer` is the query with a caret line under that part.',
    access: 'public',
    parameters: [
      { name: 'q', in: 'query', description: 'the query, e.g. author:"Xiao, Lechao" kernel year:2020..' },
      { name: 'sort', in: 'query', description: 'relevance (default) or date', enum: ['relevance', 'date'] },
      ...paging,
    ],
    responses: { '200': ok('hits with highlighted snippets and facets', { type: 'object' }), '400': bad },
  },
  {
    method: 'get',
    path: '/api/stats',
    tag: 'Knowledge base',
    summary: 'Counts of papers, authors, code links and records by source',
    access: 'public',
    responses: { '200': ok('the counts', { type: 'object' }) },
  },
  {
    method: 'get',
    path: '/api/papers',
    tag: 'Knowledge base',
    summary: 'List papers, optionally of one author',
    access: 'public',
    parameters: [{ name: 'author', in: 'query', type: 'integer', description: 'an author id' }, ...paging],
    responses: {
      '200': ok('a page of papers', {
        type: 'object',
        properties: { total: { type: 'integer' }, papers: listOf('Paper') },
      }),
    },
  },
  {
    method: 'get',
    path: '/api/papers/{ref}',
    tag: 'Knowledge base',
    summary: 'One paper, by Paperscope id, arXiv id or DOI',
    access: 'public',
    parameters: [
      { name: 'ref', in: 'path', required: true, description: 'a Paperscope id, an arXiv id or a DOI' },
    ],
    responses: { '200': ok('the paper', ref('Paper')), '404': notFound },
  },
  {
    method: 'get',
    path: '/api/authors',
    tag: 'Knowledge base',
    summary: 'Find people by name (any spelling), or list them',
    access: 'public',
    parameters: [{ name: 'name', in: 'query', description: 'a name in any spelling' }, ...paging],
    responses: { '200': ok('people', { type: 'object', properties: { authors: listOf('Author') } }) },
  },
  {
    method: 'get',
    path: '/api/authors/{id}',
    tag: 'Knowledge base',
    summary: 'One person: name variants, co-authors, papers per year, papers',
    access: 'public',
    parameters: [{ name: 'id', in: 'path', type: 'integer', required: true, description: 'the author id' }],
    responses: { '200': ok('the person and their papers', ref('Author')), '404': notFound },
  },

  // ---------------------------------------------------------------- discovery
  {
    method: 'get',
    path: '/api/new',
    tag: 'Discovery',
    summary: 'New papers by category and day',
    access: 'public',
    parameters: [
      { name: 'category', in: 'query', description: 'an arXiv category, e.g. cs.LG' },
      { name: 'day', in: 'query', description: 'one day, YYYY-MM-DD' },
      { name: 'since', in: 'query', description: 'from this day on, YYYY-MM-DD' },
      ...paging,
    ],
    responses: { '200': ok('papers grouped by day', { type: 'object' }), '400': bad },
  },
  {
    method: 'get',
    path: '/api/trending',
    tag: 'Discovery',
    summary: 'Trending papers: a time-decayed score of recency, upvotes, local views and saves',
    access: 'public',
    parameters: [
      { name: 'category', in: 'query', description: 'an arXiv category' },
      { name: 'days', in: 'query', type: 'integer', description: 'how far back to look' },
      { name: 'limit', in: 'query', type: 'integer', description: 'how many at most' },
    ],
    responses: { '200': ok('papers with their scores', { type: 'object' }), '400': bad },
  },
  {
    method: 'get',
    path: '/api/recommend',
    tag: 'Discovery',
    summary: 'Papers like the ones you like (and unlike the ones you do not), with reasons',
    access: 'public',
    parameters: [
      {
        name: 'like',
        in: 'query',
        required: true,
        description: 'paper ids (Paperscope, arXiv or DOI), comma-separated or repeated',
      },
      { name: 'dislike', in: 'query', description: 'paper ids to steer away from' },
      { name: 'limit', in: 'query', type: 'integer', description: 'how many at most (1–500)' },
    ],
    responses: {
      '200': ok('recommended papers with reasons', { type: 'object' }),
      '400': bad,
      '404': notFound,
    },
  },
  {
    method: 'post',
    path: '/api/recommend',
    tag: 'Discovery',
    summary: 'The same, with the lists in a JSON body',
    access: 'public',
    body: {
      description: '{"like": [...], "dislike": [...], "limit": 20}',
      schema: {
        type: 'object',
        properties: {
          like: { type: 'array', items: { type: ['string', 'integer'] } },
          dislike: { type: 'array', items: { type: ['string', 'integer'] } },
          limit: { type: 'integer' },
        },
        required: ['like'],
      },
    },
    responses: {
      '200': ok('recommended papers with reasons', { type: 'object' }),
      '400': bad,
      '404': notFound,
    },
  },

  // ---------------------------------------------------------------- authors
  {
    method: 'get',
    path: '/api/authors/{id}/suggestions',
    tag: 'Authors',
    summary: '“Possibly the same person”: other author records that may be this one, with the evidence',
    access: 'public',
    parameters: [
      { name: 'id', in: 'path', type: 'integer', required: true, description: 'the author id' },
      { name: 'limit', in: 'query', type: 'integer', description: 'how many at most (1–50)' },
      {
        name: 'wait',
        in: 'query',
        type: 'string',
        description:
          '`0`: answer at once, with `pending: true` while a large knowledge base is still looking for them in the background',
      },
    ],
    responses: {
      '200': ok('suggestions', {
        type: 'object',
        properties: { suggestions: { type: 'array' }, pending: { type: 'boolean' } },
      }),
      '404': notFound,
    },
  },
  {
    method: 'post',
    path: '/api/authors/{id}/merge',
    tag: 'Authors',
    summary: 'Merge another author record into this one (admin)',
    access: 'admin',
    parameters: [
      { name: 'id', in: 'path', type: 'integer', required: true, description: 'the author id that stays' },
    ],
    body: {
      description: 'the other author',
      schema: { type: 'object', properties: { other: { type: 'integer' } }, required: ['other'] },
    },
    responses: { '200': ok('the decision', { type: 'object' }), '400': bad, '404': notFound },
  },
  {
    method: 'post',
    path: '/api/authors/{id}/reject',
    tag: 'Authors',
    summary: 'Record that another author record is not this person (admin)',
    access: 'admin',
    parameters: [{ name: 'id', in: 'path', type: 'integer', required: true, description: 'the author id' }],
    body: {
      description: 'the other author',
      schema: { type: 'object', properties: { other: { type: 'integer' } }, required: ['other'] },
    },
    responses: { '200': ok('the decision', { type: 'object' }), '400': bad, '404': notFound },
  },
  {
    method: 'post',
    path: '/api/authors/{id}/split',
    tag: 'Authors',
    summary: 'Split papers and name variants off into a new author (admin)',
    access: 'admin',
    parameters: [{ name: 'id', in: 'path', type: 'integer', required: true, description: 'the author id' }],
    body: {
      description: 'the papers and the name variants that belong to someone else',
      schema: {
        type: 'object',
        properties: {
          papers: { type: 'array', items: { type: 'integer' } },
          names: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    responses: { '201': ok('the new author', { type: 'object' }), '400': bad, '404': notFound },
  },

  // ---------------------------------------------------------------- keeping up
  {
    method: 'get',
    path: '/api/follows',
    tag: 'Keeping up',
    summary: 'What you follow, and your digest settings',
    access: 'read',
    responses: { '200': ok('follows and digest settings', { type: 'object' }) },
  },
  {
    method: 'post',
    path: '/api/follows',
    tag: 'Keeping up',
    summary: 'Follow an author, a search, a category or one of your tags',
    access: 'library',
    body: {
      description: 'what to follow',
      schema: {
        type: 'object',
        properties: { kind: { enum: ['author', 'search', 'category', 'tag'] }, value: { type: 'string' } },
        required: ['kind', 'value'],
      },
    },
    responses: { '201': ok('the follow', { type: 'object' }), '400': bad },
  },
  {
    method: 'delete',
    path: '/api/follows/{id}',
    tag: 'Keeping up',
    summary: 'Stop following',
    access: 'library',
    parameters: [{ name: 'id', in: 'path', type: 'integer', required: true, description: 'the follow id' }],
    responses: { '204': ok('stopped'), '404': notFound },
  },
  {
    method: 'put',
    path: '/api/digest/settings',
    tag: 'Keeping up',
    summary: 'Turn the daily digest on or off, and choose when it is sent',
    access: 'library',
    body: {
      description: 'any of the settings',
      schema: {
        type: 'object',
        properties: {
          enabled: { type: 'boolean' },
          sendHour: { type: 'integer' },
          timeZone: { type: 'string' },
        },
      },
    },
    responses: { '200': ok('the settings now', { type: 'object' }), '400': bad },
  },
  {
    method: 'post',
    path: '/api/digest/unsubscribe',
    tag: 'Keeping up',
    summary: 'One-click unsubscribe from the digest (RFC 8058), with the token from the email',
    access: 'public',
    parameters: [
      { name: 'token', in: 'query', required: true, description: 'the token in the email’s link' },
    ],
    responses: { '200': ok('unsubscribed', { type: 'object' }), '400': bad, '404': notFound },
  },
  {
    method: 'get',
    path: '/api/digests/{user}/preview',
    tag: 'Keeping up',
    summary: 'The digest someone would get today, without sending it (admin)',
    access: 'admin',
    parameters: [{ name: 'user', in: 'path', type: 'integer', required: true, description: 'the user id' }],
    responses: { '200': ok('recipient, items, subject, text and HTML', { type: 'object' }), '404': notFound },
  },
  {
    method: 'get',
    path: '/api/sync',
    tag: 'Keeping up',
    summary: 'The state of the background sync of followed sources (admin)',
    access: 'admin',
    responses: { '200': ok('sync status', { type: 'object' }) },
  },

  // ---------------------------------------------------------------- account
  {
    method: 'get',
    path: '/api/whoami',
    tag: 'Account',
    summary: 'Who this session or token speaks for (with the token’s scopes)',
    access: 'signed-in',
    responses: {
      '200': ok('the person', ref('Viewer')),
      '401': { description: 'not signed in', schema: ref('Error') },
    },
  },
  {
    method: 'get',
    path: '/api/tokens',
    tag: 'Account',
    summary: 'Your API tokens (never their secrets)',
    access: 'read',
    responses: {
      '200': ok('tokens, newest first', { type: 'object', properties: { tokens: listOf('Token') } }),
    },
  },
  {
    method: 'post',
    path: '/api/tokens',
    tag: 'Account',
    summary: 'Create an API token; its secret is in this answer only',
    description: 'A token can create tokens only with scopes it has itself; the admin scope needs an admin.',
    access: 'signed-in',
    body: {
      description: 'a name and the scopes',
      schema: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          scopes: { type: 'array', items: { enum: [...SCOPES] } },
        },
        required: ['scopes'],
      },
    },
    responses: { '201': ok('the token, with its secret', ref('NewToken')), '400': bad },
  },
  {
    method: 'delete',
    path: '/api/tokens/{id}',
    tag: 'Account',
    summary: 'Revoke one of your tokens (a token may revoke itself)',
    access: 'signed-in',
    parameters: [{ name: 'id', in: 'path', type: 'integer', required: true, description: 'the token id' }],
    responses: { '204': ok('revoked'), '404': notFound },
  },
  {
    method: 'get',
    path: '/api/settings/registration',
    tag: 'Account',
    summary: 'Whether people can sign themselves up',
    access: 'public',
    responses: { '200': ok('the setting', ref('Registration')) },
  },
  {
    method: 'put',
    path: '/api/settings/registration',
    tag: 'Account',
    summary: 'Open or close registration (admin)',
    access: 'admin',
    body: {
      description: 'open or not',
      schema: { type: 'object', properties: { open: { type: 'boolean' } }, required: ['open'] },
    },
    responses: { '200': ok('the setting now', ref('Registration')), '403': { description: 'not an admin' } },
  },
  {
    method: 'get',
    path: '/api/users',
    tag: 'Account',
    summary: 'Everyone with an account (admin)',
    access: 'admin',
    responses: { '200': ok('the people', { type: 'object', properties: { users: { type: 'array' } } }) },
  },

  // ---------------------------------------------------------------- library
  {
    method: 'get',
    path: '/api/library',
    tag: 'Library',
    summary: 'Your saved papers, latest first, optionally with one tag',
    access: 'read',
    parameters: [{ name: 'tag', in: 'query', description: 'only papers with this tag' }, ...paging],
    responses: {
      '200': ok('a page of your library', {
        type: 'object',
        properties: { total: { type: 'integer' }, items: listOf('LibraryItem') },
      }),
    },
  },
  {
    method: 'post',
    path: '/api/library',
    tag: 'Library',
    summary: 'Save a paper by any identifier: Paperscope id, arXiv id or DOI (201 the first time, 200 after)',
    access: 'library',
    body: {
      description: 'the paper',
      schema: {
        type: 'object',
        properties: {
          paper: { type: ['string', 'integer'], examples: ['2006.10540', 'doi:10.48550/arXiv.2006.10540'] },
        },
        required: ['paper'],
      },
    },
    responses: {
      '200': ok('already saved', ref('LibraryItem')),
      '201': ok('saved', ref('LibraryItem')),
      '400': bad,
      '404': notFound,
    },
  },
  {
    method: 'get',
    path: '/api/library/tags',
    tag: 'Library',
    summary: 'Your tags, with how many papers have each',
    access: 'read',
    responses: { '200': ok('tags', { type: 'object', properties: { tags: listOf('TagCount') } }) },
  },
  {
    method: 'get',
    path: '/api/library/export',
    tag: 'Library',
    summary: 'Your library (or one tag of it) as BibTeX, RIS or CSL-JSON',
    access: 'read',
    parameters: [exportFormat, { name: 'tag', in: 'query', description: 'only papers with this tag' }],
    responses: { '200': text('the export'), '400': bad },
  },
  {
    method: 'get',
    path: '/api/library/recommendations',
    tag: 'Library',
    summary: 'Papers like those under one of your tags, that you have not saved, with reasons',
    access: 'read',
    parameters: [
      { name: 'tag', in: 'query', required: true, description: 'the tag' },
      { name: 'limit', in: 'query', type: 'integer', description: 'how many at most (1–100)' },
    ],
    responses: {
      '200': ok('recommendations', {
        type: 'object',
        properties: {
          tag: { type: 'string' },
          from: { type: 'integer', description: 'how many tagged papers they come from' },
          recommendations: {
            type: 'array',
            items: {
              type: 'object',
              properties: { paper: ref('Paper'), score: { type: 'number' }, reason: { type: 'string' } },
            },
          },
        },
      }),
      '400': bad,
      '404': notFound,
    },
  },
  {
    method: 'get',
    path: '/api/library/{paper}',
    tag: 'Library',
    summary: 'One saved paper, with its note and tags',
    access: 'read',
    parameters: [paperInPath],
    responses: { '200': ok('the entry', ref('LibraryItem')), '404': notFound },
  },
  {
    method: 'put',
    path: '/api/library/{paper}',
    tag: 'Library',
    summary: 'Save a paper (201 the first time, 200 after)',
    access: 'library',
    parameters: [paperInPath],
    responses: {
      '200': ok('already saved', ref('LibraryItem')),
      '201': ok('saved', ref('LibraryItem')),
      '404': notFound,
    },
  },
  {
    method: 'delete',
    path: '/api/library/{paper}',
    tag: 'Library',
    summary: 'Remove a paper from your library, with its note and tags',
    access: 'library',
    parameters: [paperInPath],
    responses: { '204': ok('removed'), '404': notFound },
  },
  {
    method: 'post',
    path: '/api/library/{paper}/tags',
    tag: 'Library',
    summary: 'Tag a paper (saving it if needed)',
    access: 'library',
    parameters: [paperInPath],
    body: {
      description: 'the tag (1–50 characters)',
      schema: { type: 'object', properties: { tag: { type: 'string' } }, required: ['tag'] },
    },
    responses: {
      '200': ok('the paper’s tags now', { type: 'object', properties: { tags: { type: 'array' } } }),
      '400': bad,
      '404': notFound,
    },
  },
  {
    method: 'delete',
    path: '/api/library/{paper}/tags/{tag}',
    tag: 'Library',
    summary: 'Take a tag off a paper',
    access: 'library',
    parameters: [
      paperInPath,
      { name: 'tag', in: 'path', required: true, description: 'the tag, URL-encoded' },
    ],
    responses: {
      '200': ok('the paper’s tags now', { type: 'object', properties: { tags: { type: 'array' } } }),
      '404': notFound,
    },
  },
  {
    method: 'put',
    path: '/api/library/{paper}/note',
    tag: 'Library',
    summary: 'Set the note on a paper (saving it if needed); empty clears it',
    access: 'library',
    parameters: [paperInPath],
    body: {
      description: 'the note (at most 10,000 characters)',
      schema: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] },
    },
    responses: {
      '200': ok('the note as kept', { type: 'object', properties: { note: { type: 'string' } } }),
    },
  },

  // ---------------------------------------------------------------- importing
  {
    method: 'post',
    path: '/api/import',
    tag: 'Importing',
    summary: 'Start an import: text in any supported format, or arXiv ids to fetch',
    description:
      'Runs in the background; answers 202 with the job (and its address in Location). Follow it with GET /api/import/jobs/{id}.',
    access: 'import',
    body: {
      description: '{"text": "…", "origin": "where it came from"} or {"arxivIds": ["2006.10540"]}',
      schema: {
        type: 'object',
        properties: {
          text: { type: 'string' },
          origin: { type: 'string' },
          arxivIds: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    responses: { '202': ok('the job, queued', { type: 'object' }), '400': bad },
  },
  {
    method: 'get',
    path: '/api/import/jobs/{id}',
    tag: 'Importing',
    summary: 'An import job of yours: status, progress, then the summary and the papers it touched',
    access: 'import',
    parameters: [{ name: 'id', in: 'path', description: 'the job id', required: true }],
    responses: { '200': ok('the job', { type: 'object' }), '404': notFound },
  },

  // ---------------------------------------------------------------- this description
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'About the API',
    summary: 'This description, as OpenAPI 3.1',
    access: 'public',
    responses: { '200': ok('the OpenAPI document', { type: 'object' }) },
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'About the API',
    summary: 'This description, as a page to read',
    access: 'public',
    responses: { '200': { description: 'an HTML page', mediaType: 'text/html', schema: { type: 'string' } } },
  },
];

/** The OpenAPI 3.1 document for `API_OPERATIONS`. */
export function openApiDocument(
  operations: readonly ApiOperation[] = API_OPERATIONS,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const security =
      op.access === 'public'
        ? []
        : [{ session: [] }, { bearer: op.access === 'signed-in' ? [] : [op.access] }];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = r.schema
        ? {
            description: r.description,
            content: { [r.mediaType ?? 'application/json']: { schema: r.schema } },
          }
        : { description: r.description };
    }
    if (op.access !== 'public' && !responses['401']) {
      responses['401'] = {
        description: 'not signed in, or the token is unknown or revoked',
        content: json(ref('Error')),
      };
    }
    if (op.access !== 'public' && op.access !== 'signed-in' && !responses['403']) {
      responses['403'] = {
        description: `the token lacks the "${op.access}" scope`,
        content: json(ref('Error')),
      };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security,
      ...(op.access === 'public' || op.access === 'signed-in' ? {} : { 'x-scope': op.access }),
      ...(op.parameters
        ? {
            parameters: op.parameters.map((p) => ({
              name: p.name,
              in: p.in,
              required: p.in === 'path' ? true : (p.required ?? false),
              description: p.description,
              schema: p.enum ? { type: 'string', enum: p.enum } : { type: p.type ?? 'string' },
            })),
          }
        : {}),
      ...(op.body
        ? { requestBody: { required: true, description: op.body.description, content: json(op.body.schema) } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Paperscope API',
      version: '1',
      description:
        'The knowledge base is readable by anyone who can reach the instance; libraries, tags, notes and tokens are private. ' +
        'Send an API token as `Authorization: Bearer pst_…` (create one on /account or with `paperscope token create`). ' +
        'A browser session works too; it sends the page’s CSRF token in `x-csrf-token` to change anything.',
    },
    paths,
    components: {
      schemas: SCHEMAS,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: `An API token. Scopes: ${SCOPES.map((s) => `${s} (${SCOPE_DESCRIPTIONS[s]})`).join('; ')}.`,
        },
        session: { type: 'apiKey', in: 'cookie', name: 'ps_session', description: 'A signed-in browser.' },
      },
    },
  };
}

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
