// Starts GraphiQL on copgraph's own copies of React, GraphiQL and the explorer plugin (graphiql/vendor/),
// opened on the example queries for the mission questions (graphiql/examples.graphql). A file, not an
// inline script, so the page works under a Content-Security-Policy of `default-src 'self'`.
(function start() {
  'use strict';
  const container = document.getElementById('graphiql');
  const endpoint = window.location.href.split(/[?#]/)[0];
  const parameters = new URLSearchParams(window.location.search);

  function remember(changes) {
    for (const [key, value] of Object.entries(changes)) {
      if (value) parameters.set(key, value);
      else parameters.delete(key);
    }
    const search = parameters.toString();
    window.history.replaceState(null, '', search ? `?${search}` : window.location.pathname);
  }

  function showFailure(message) {
    const paragraph = document.createElement('p');
    paragraph.className = 'loading';
    paragraph.setAttribute('role', 'alert');
    paragraph.textContent = message;
    container.replaceChildren(paragraph);
  }

  function App({ examples }) {
    const [query, setQuery] = React.useState(parameters.get('q') || examples);
    const [variables, setVariables] = React.useState(parameters.get('variables') || '');
    const explorer = React.useMemo(() => GraphiQLPluginExplorer.explorerPlugin(), []);
    const fetcher = React.useMemo(() => GraphiQL.createFetcher({ url: endpoint }), []);
    return React.createElement(GraphiQL, {
      fetcher,
      plugins: [explorer],
      query,
      variables,
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false, // a bearer token stays in this tab, not in localStorage
      onEditQuery: (text) => { setQuery(text); remember({ q: text }); },
      onEditVariables: (text) => { setVariables(text); remember({ variables: text }); },
    });
  }

  fetch(container.dataset.examples)
    .then((response) => {
      if (!response.ok) throw new Error(`the example queries answered HTTP ${response.status}`);
      return response.text();
    })
    .then((examples) => ReactDOM.createRoot(container).render(React.createElement(App, { examples })))
    .catch((error) => showFailure(`GraphiQL could not start: ${error.message}`));
}());
