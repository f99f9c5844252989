// GraphQL client: the only module that talks to the server (POST /graphql with variables).
// Errors become ApiError with readable messages, so every view can show them the same way.

const ENDPOINT = new URL('graphql', document.baseURI).href;

export class ApiError extends Error {
  constructor(messages, status) {
    super(messages.join(' · '));
    this.name = 'ApiError';
    this.messages = messages;
    this.status = status;
  }
}

export async function gql(query, variables = {}) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    throw new ApiError([`Der Server ist nicht erreichbar (${err.message}).`], 0);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError([`Unerwartete Antwort des Servers (HTTP ${response.status}).`], response.status);
  }
  if (body.errors && body.errors.length) {
    throw new ApiError(body.errors.map((e) => e.message), response.status);
  }
  if (!response.ok) {
    throw new ApiError([`Der Server antwortete mit HTTP ${response.status}.`], response.status);
  }
  return body.data;
}

// Walks a connection page by page (cursor paging); `select` picks the connection out of the data.
export async function* pages(query, variables, select) {
  let after = null;
  do {
    const connection = select(await gql(query, { ...variables, after }));
    if (!connection) return;
    yield connection;
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  } while (after);
}

export async function allNodes(query, variables, select) {
  const nodes = [];
  for await (const connection of pages(query, variables, select)) {
    nodes.push(...connection.edges.map((e) => e.node));
  }
  return nodes;
}
