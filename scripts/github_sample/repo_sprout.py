"""sprout-js/sprout-router: a small Node.js HTTP router (radix tree, middleware)."""

import json

from spec import Comment, Edit, FileChange, IssueComment, IssueSpec, PullSpec, RepoSpec

ROUTER = "lib/router.js"
TREE = "lib/radix-tree.js"
COMPOSE = "lib/compose.js"
MIDDLEWARE = "lib/middleware.js"
QUERY = "lib/query.js"
QUERYSTRING = "lib/querystring.js"
COMPAT = "lib/compat.js"
ROUTER_TEST = "test/router.test.js"
TREE_TEST = "test/radix-tree.test.js"
QUERY_TEST = "test/query.test.js"
MIDDLEWARE_TEST = "test/middleware.test.js"

# --------------------------------------------------------------------- base files

_PACKAGE_JSON = """\
{
  "name": "sprout-router",
  "version": "2.4.0",
  "description": "A small, fast HTTP router for Node.js: radix tree, async middleware",
  "main": "index.js",
  "files": [
    "index.js",
    "lib/"
  ],
  "engines": {
    "node": ">=18"
  },
  "scripts": {
    "test": "node --test test/",
    "lint": "standard",
    "bench": "node bench/hello.js"
  },
  "keywords": [
    "router",
    "http",
    "radix",
    "middleware"
  ],
  "repository": "github:sprout-js/sprout-router",
  "license": "MIT",
  "devDependencies": {
    "autocannon": "^7.12.0",
    "standard": "^17.1.0"
  }
}
"""

_NPM = "https://registry.npmjs.org"

_LOCK_SHARED = {
    "node_modules/hdr-histogram-js": {
        "version": "3.0.0",
        "resolved": f"{_NPM}/hdr-histogram-js/-/hdr-histogram-js-3.0.0.tgz",
        "integrity": "sha512-/EpvQI2/Z98mNFYEnlqJ8Ogful8OpArLG/6Tf2bPnkutBVLIeMVNHjk1Z"
        "DHMKJvPr7cItCpOvnOb+TVSiyWUg==",
        "dev": True,
        "dependencies": {"@assemblyscript/loader": "^0.19.21", "base64-js": "^1.2.0"},
        "engines": {"node": ">=14"},
    },
    "node_modules/standard": {
        "version": "17.1.0",
        "resolved": f"{_NPM}/standard/-/standard-17.1.0.tgz",
        "integrity": "sha512-jaDqlNSzLtWYW4lvQmU0EnxWMUGQiwHasZl5ZEIwx3S/ijZDjZOzs1y1Q"
        "qKwKs6vqdFKl/ZJg6AgYwt0ZEY0Mg==",
        "dev": True,
        "bin": {"standard": "bin/cmd.cjs"},
        "engines": {"node": "^12.22.0 || ^14.17.0 || >=16.0.0"},
    },
}


def _lock(autocannon, integrity):
    return (
        json.dumps(
            {
                "name": "sprout-router",
                "version": "2.4.0",
                "lockfileVersion": 3,
                "requires": True,
                "packages": {
                    "": {
                        "name": "sprout-router",
                        "version": "2.4.0",
                        "license": "MIT",
                        "devDependencies": {
                            "autocannon": f"^{autocannon}",
                            "standard": "^17.1.0",
                        },
                        "engines": {"node": ">=18"},
                    },
                    "node_modules/autocannon": {
                        "version": autocannon,
                        "resolved": f"{_NPM}/autocannon/-/autocannon-{autocannon}.tgz",
                        "integrity": integrity,
                        "dev": True,
                        "dependencies": {
                            "chalk": "^4.1.0",
                            "hdr-histogram-js": "^3.0.0",
                            "undici": "^6.6.2",
                        },
                        "bin": {"autocannon": "autocannon.js"},
                    },
                    **_LOCK_SHARED,
                },
            },
            indent=2,
        )
        + "\n"
    )


_LOCK_V1 = _lock(
    "7.12.0",
    "sha512-SZjtDnKYRhN4hVJLYDGlyuK8oCG+AOrudV2wpp3LMZZv6OQhNAEEgWY6HnjzcVtk6jRqaha"
    "YtuQtmXpcLUi7Ng==",
)
_LOCK_V2 = _lock(
    "7.15.0",
    "sha512-NaP2rQyA+tcubOJMFv2+oeW9jv2pq/t+LM6BL3cfJic0HEfscEcnWgAyU5YovE/E6iT7HQrm"
    "Jrb4+Cc+n97RFw==",
)

_README = """\
# sprout-router

A small, fast HTTP router for Node.js. Routes live in a radix tree per method, so lookup
cost depends on the path length, not on the number of routes. Middleware is `async`.

```js
const sprout = require('sprout-router')

const app = sprout()

app.use(sprout.middleware.responseTime())

app.get('/users/:id', async (ctx) => {
  const user = await db.users.find(ctx.params.id)
  ctx.res.setHeader('content-type', 'application/json')
  ctx.res.end(JSON.stringify(user))
})

app.listen(3000)
```

## Routing

- static segments: `/users/me`
- parameters: `/users/:id` (`ctx.params.id`)
- static segments win over parameters at the same position

## Middleware

`app.use(fn)` registers `async (ctx, next) => {}`. Call `await next()` to run the
rest of the chain. `ctx` holds `req`, `res`, `params`, `query` and a free-form `state`
object.

## Deprecated

`router.del()` and `router.all()` still work but print a deprecation warning; they will
be removed in 3.0.

## License

MIT
"""

_CHANGELOG = """\
# Changelog

## Unreleased

## 2.4.0
- `json()` body parser middleware with a size limit.
- `responseTime()` middleware.

## 2.3.0
- `router.del()` and `router.all()` are deprecated.
"""

_INDEX = """\
'use strict'

const { Router, METHODS } = require('./lib/router')
const middleware = require('./lib/middleware')
require('./lib/compat')

function sprout (options) {
  return new Router(options)
}

module.exports = sprout
module.exports.Router = Router
module.exports.METHODS = METHODS
module.exports.middleware = middleware
"""

_TREE = """\
'use strict'

/**
 * A radix tree keyed by path segments. Static segments are matched before
 * parameters (`:id`).
 */
class Node {
  constructor (segment = '') {
    this.segment = segment
    this.children = new Map()
    this.paramChild = null
    this.paramName = null
    this.handlers = null
  }
}

class RadixTree {
  constructor () {
    this.root = new Node()
  }

  insert (path, handlers) {
    const segments = split(path)
    let node = this.root
    for (const segment of segments) {
      if (segment.startsWith(':')) {
        if (!node.paramChild) {
          node.paramChild = new Node(segment)
          node.paramChild.paramName = segment.slice(1)
        }
        node = node.paramChild
      } else {
        if (!node.children.has(segment)) {
          node.children.set(segment, new Node(segment))
        }
        node = node.children.get(segment)
      }
    }
    node.handlers = handlers
  }

  lookup (path) {
    const segments = split(path)
    const params = {}
    let node = this.root
    for (const segment of segments) {
      const next = node.children.get(segment)
      if (next) {
        node = next
      } else if (node.paramChild) {
        params[node.paramChild.paramName] = segment
        node = node.paramChild
      } else {
        return null
      }
    }
    if (!node.handlers) return null
    return { handlers: node.handlers, params }
  }
}

function split (path) {
  return path.split('/').filter(Boolean)
}

module.exports = { RadixTree }
"""

_COMPOSE = """\
'use strict'

/**
 * Composes middleware into one function. Each middleware receives `(ctx, next)`;
 * `next()` runs the rest of the chain and returns a promise that settles when
 * the rest of the chain has finished.
 */
function compose (middleware) {
  return function run (ctx) {
    let index = -1
    function dispatch (i) {
      if (i <= index) {
        return Promise.reject(new Error('next() called multiple times'))
      }
      index = i
      const fn = middleware[i]
      if (!fn) return Promise.resolve()
      try {
        return Promise.resolve(fn(ctx, () => dispatch(i + 1)))
      } catch (err) {
        return Promise.reject(err)
      }
    }
    return dispatch(0)
  }
}

module.exports = { compose }
"""

_MIDDLEWARE = """\
'use strict'

/** Adds an `X-Response-Time` header with the time spent in the chain. */
function responseTime () {
  return async function responseTime (ctx, next) {
    const start = process.hrtime.bigint()
    next()
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    ctx.res.setHeader('X-Response-Time', `${ms.toFixed(1)}ms`)
  }
}

/** Parses `application/json` request bodies into `ctx.body`. */
function json ({ limit = 1024 * 1024 } = {}) {
  return async function json (ctx, next) {
    const type = ctx.req.headers['content-type'] || ''
    if (!type.startsWith('application/json')) return next()
    let size = 0
    const chunks = []
    for await (const chunk of ctx.req) {
      size += chunk.length
      if (size > limit) {
        const err = new Error('Payload Too Large')
        err.status = 413
        throw err
      }
      chunks.push(chunk)
    }
    ctx.body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    return next()
  }
}

module.exports = { responseTime, json }
"""

_QUERY = """\
'use strict'

/** Parses a query string (without the leading `?`) into an object. */
function parseQuery (search) {
  const result = {}
  if (!search) return result
  for (const pair of search.split('&')) {
    if (!pair) continue
    const eq = pair.indexOf('=')
    const key = decode(eq === -1 ? pair : pair.slice(0, eq))
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1))
    result[key] = value
  }
  return result
}

function decode (text) {
  return decodeURIComponent(text.replaceAll('+', ' '))
}

module.exports = { parseQuery }
"""

_ROUTER = """\
'use strict'

const http = require('node:http')
const { RadixTree } = require('./radix-tree')
const { compose } = require('./compose')
const { parseQuery } = require('./query')

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

class Router {
  constructor (options = {}) {
    this.trees = new Map()
    this.middleware = []
    this.notFound = options.notFound || defaultNotFound
    this.onError = options.onError || defaultOnError
  }

  use (fn) {
    if (typeof fn !== 'function') {
      throw new TypeError('middleware must be a function')
    }
    this.middleware.push(fn)
    return this
  }

  on (method, path, ...handlers) {
    method = method.toUpperCase()
    if (!this.trees.has(method)) this.trees.set(method, new RadixTree())
    this.trees.get(method).insert(path, handlers)
    return this
  }

  find (method, path) {
    const tree = this.trees.get(method)
    return tree ? tree.lookup(path) : null
  }

  handle (req, res) {
    const [pathname, search] = req.url.split('?')
    const match = this.find(req.method, pathname)
    const ctx = { req, res, params: {}, query: parseQuery(search), state: {} }
    if (!match) {
      return this.notFound(ctx)
    }
    ctx.params = match.params
    const chain = compose([...this.middleware, ...match.handlers])
    return chain(ctx).catch((err) => this.onError(err, ctx))
  }

  listen (...args) {
    const server = http.createServer((req, res) => this.handle(req, res))
    return server.listen(...args)
  }
}

for (const method of METHODS) {
  Router.prototype[method.toLowerCase()] = function (path, ...handlers) {
    return this.on(method, path, ...handlers)
  }
}

function defaultNotFound (ctx) {
  ctx.res.statusCode = 404
  ctx.res.end('Not Found')
}

function defaultOnError (err, ctx) {
  ctx.res.statusCode = err.status || 500
  ctx.res.end(ctx.res.statusCode === 500 ? 'Internal Server Error' : err.message)
}

module.exports = { Router, METHODS }
"""

_COMPAT = """\
'use strict'

const { deprecate } = require('node:util')
const { Router } = require('./router')

// Express-style aliases kept for sprout 1.x users; removed in 3.0.

Router.prototype.del = deprecate(function (path, ...handlers) {
  return this.on('DELETE', path, ...handlers)
}, 'router.del() is deprecated, use router.delete()', 'SPROUT001')

Router.prototype.all = deprecate(function (path, ...handlers) {
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    this.on(method, path, ...handlers)
  }
  return this
}, 'router.all() is deprecated, register each method explicitly', 'SPROUT002')
"""

_TREE_TEST = """\
'use strict'

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { RadixTree } = require('../lib/radix-tree')

test('matches static routes', () => {
  const tree = new RadixTree()
  tree.insert('/users', ['list'])
  assert.deepEqual(tree.lookup('/users'), { handlers: ['list'], params: {} })
})

test('captures params', () => {
  const tree = new RadixTree()
  tree.insert('/users/:id', ['show'])
  assert.deepEqual(tree.lookup('/users/42').params, { id: '42' })
})

test('prefers static segments over params', () => {
  const tree = new RadixTree()
  tree.insert('/users/:id', ['show'])
  tree.insert('/users/me', ['me'])
  assert.deepEqual(tree.lookup('/users/me').handlers, ['me'])
})

test('returns null for unknown paths', () => {
  const tree = new RadixTree()
  tree.insert('/users', ['list'])
  assert.equal(tree.lookup('/posts'), null)
})
"""

_ROUTER_TEST = """\
'use strict'

const { test } = require('node:test')
const assert = require('node:assert/strict')
const sprout = require('..')

function fakeRes () {
  return {
    statusCode: 200,
    headers: {},
    body: undefined,
    setHeader (name, value) { this.headers[name.toLowerCase()] = value },
    end (body) { this.body = body }
  }
}

async function request (router, method, url) {
  const res = fakeRes()
  await router.handle({ method, url, headers: {} }, res)
  return res
}

test('runs middleware before the handler', async () => {
  const router = sprout()
  const calls = []
  router.use(async (ctx, next) => { calls.push('mw'); await next() })
  router.get('/hello', (ctx) => { calls.push('handler'); ctx.res.end('hi') })
  const res = await request(router, 'GET', '/hello')
  assert.deepEqual(calls, ['mw', 'handler'])
  assert.equal(res.body, 'hi')
})

test('responds 404 for unknown routes', async () => {
  const res = await request(sprout(), 'GET', '/nope')
  assert.equal(res.statusCode, 404)
})

test('passes params and query to handlers', async () => {
  const router = sprout()
  router.get('/users/:id', (ctx) => ctx.res.end(`${ctx.params.id}:${ctx.query.tab}`))
  const res = await request(router, 'GET', '/users/7?tab=posts')
  assert.equal(res.body, '7:posts')
})

test('maps thrown errors to 500', async () => {
  const router = sprout()
  router.get('/boom', () => { throw new Error('boom') })
  const res = await request(router, 'GET', '/boom')
  assert.equal(res.statusCode, 500)
})
"""

_QUERY_TEST = """\
'use strict'

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { parseQuery } = require('../lib/query')

test('parses pairs', () => {
  assert.deepEqual(parseQuery('a=1&b=two'), { a: '1', b: 'two' })
})

test('decodes plus and percent escapes', () => {
  assert.deepEqual(parseQuery('q=hello+world%21'), { q: 'hello world!' })
})

test('keys without a value are empty strings', () => {
  assert.deepEqual(parseQuery('flag'), { flag: '' })
})
"""

_CI = """\
name: test

on:
  push:
    branches: [main]
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [18, 20, 21]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: ${{ matrix.node }}
          cache: npm
      - run: npm ci
      - run: npm run lint
      - run: npm test
"""

FILES = {
    "package.json": _PACKAGE_JSON,
    "package-lock.json": _LOCK_V1,
    "README.md": _README,
    "CHANGELOG.md": _CHANGELOG,
    ".gitignore": "node_modules/\ncoverage/\n",
    ".github/workflows/test.yml": _CI,
    "index.js": _INDEX,
    ROUTER: _ROUTER,
    TREE: _TREE,
    COMPOSE: _COMPOSE,
    MIDDLEWARE: _MIDDLEWARE,
    QUERY: _QUERY,
    COMPAT: _COMPAT,
    ROUTER_TEST: _ROUTER_TEST,
    TREE_TEST: _TREE_TEST,
    QUERY_TEST: _QUERY_TEST,
}

# ------------------------------------------------------------------------- issues

ISSUES = (
    IssueSpec(
        number=2,
        title="Process crashes with unhandled rejection when a handler throws "
        "and responseTime() is used",
        body=(
            "With `app.use(sprout.middleware.responseTime())`, any async handler that "
            "throws takes the whole server down instead of answering 500:\n\n"
            "```\n"
            "node:internal/process/promises:289\n"
            "            triggerUncaughtException(err, true /* fromPromise */);\n"
            "            ^\n"
            "Error: db timeout\n"
            "    at /srv/app/routes/users.js:14:11\n"
            "```\n\n"
            "Node 20.11, sprout-router 2.4.0. Also the `X-Response-Time` header is "
            "always `0.0ms`."
        ),
        author="mkowalczyk",
        labels=("bug",),
    ),
    IssueSpec(
        number=5,
        title="Malformed JSON body returns 500 instead of 400",
        body=(
            "`curl -H 'content-type: application/json' -d '{\"a\":' localhost:3000/x` "
            "answers `500 Internal Server Error` because the `SyntaxError` from "
            "`JSON.parse` has no `status`. A client error shouldn't show up in our "
            "5xx alerts."
        ),
        author="fcosta",
        labels=("bug",),
    ),
    IssueSpec(
        number=8,
        title="Route params are not percent-decoded",
        body=(
            "`GET /files/r%C3%A9sum%C3%A9.pdf` with `/files/:name` gives "
            "`ctx.params.name === 'r%C3%A9sum%C3%A9.pdf'`. Express and find-my-way "
            "decode params."
        ),
        author="jhooper",
        labels=("bug",),
    ),
)

# ------------------------------------------------------------------ pull requests

_RESPONSE_TIME_V2 = """\
  return async function responseTime (ctx, next) {
    const start = process.hrtime.bigint()
    // Set the header right before it is written; after `await next()` the
    // handler has usually called res.end() and setHeader would throw.
    const writeHead = ctx.res.writeHead
    ctx.res.writeHead = function (...args) {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      this.setHeader('X-Response-Time', `${ms.toFixed(1)}ms`)
      return writeHead.apply(this, args)
    }
    await next()
  }
"""

_MIDDLEWARE_TEST = """\
'use strict'

const { test } = require('node:test')
const assert = require('node:assert/strict')
const sprout = require('..')

test('responseTime propagates downstream errors to onError', async () => {
  const errors = []
  const router = sprout({ onError: (err) => errors.push(err.message) })
  router.use(sprout.middleware.responseTime())
  router.get('/fail', async () => { throw new Error('db timeout') })
  const res = { setHeader () {}, writeHead () {}, end () {} }
  await router.handle({ method: 'GET', url: '/fail', headers: {} }, res)
  assert.deepEqual(errors, ['db timeout'])
})
"""

PR_AWAIT = PullSpec(
    title="Await next() in responseTime middleware",
    body=(
        "`responseTime()` called `next()` without awaiting it, so a rejection "
        "downstream became an unhandled rejection (fatal since Node 15) and the "
        "measured time only covered the synchronous part of the chain.\n\nFixes #2"
    ),
    author="nadia-okafor",
    branch="fix/response-time-await",
    labels=("bug",),
    changes=(
        FileChange(
            MIDDLEWARE,
            edits=(
                Edit(
                    "    const start = process.hrtime.bigint()\n    next()\n",
                    "    const start = process.hrtime.bigint()\n    await next()\n",
                ),
            ),
        ),
        FileChange(MIDDLEWARE_TEST, content=_MIDDLEWARE_TEST),
    ),
    fixups=(
        FileChange(
            MIDDLEWARE,
            edits=(
                Edit(
                    "  return async function responseTime (ctx, next) {\n"
                    "    const start = process.hrtime.bigint()\n"
                    "    await next()\n"
                    "    const ms = Number(process.hrtime.bigint() - start) / 1e6\n"
                    "    ctx.res.setHeader('X-Response-Time', `${ms.toFixed(1)}ms`)\n"
                    "  }\n",
                    _RESPONSE_TIME_V2,
                ),
            ),
        ),
    ),
    fixup_message="Set X-Response-Time in writeHead instead of after the chain",
    comments=(
        Comment(
            key="root-cause",
            author="gabriel-m",
            association="OWNER",
            path=MIDDLEWARE,
            side="LEFT",
            anchor="    next()",
            body=(
                "Yep, this is the whole bug: the promise returned by `next()` is "
                "dropped, so when the handler rejects nobody is listening. `compose` "
                "does catch it, but only for the promise *this* middleware returns, "
                "which resolved long ago."
            ),
        ),
        Comment(
            key="headers-sent",
            author="dmitri-p",
            association="COLLABORATOR",
            path=MIDDLEWARE,
            anchor="ctx.res.setHeader('X-Response-Time', `${ms.toFixed(1)}ms`)",
            outdated=True,
            body=(
                "Now that we actually wait, this line runs *after* the handler called "
                "`res.end()`, and `setHeader` throws `ERR_HTTP_HEADERS_SENT`. Before "
                'this PR it only "worked" because it ran before the handler did. '
                "You need to set the header when the head is written (that's what the "
                "`on-headers` package does by wrapping `writeHead`)."
            ),
        ),
        Comment(
            key="headers-sent-reply",
            author="nadia-okafor",
            association="CONTRIBUTOR",
            reply_to="headers-sent",
            outdated=True,
            body=(
                "Good catch, fixed in the next commit by wrapping `writeHead`. "
                "`res.end()` without an explicit `writeHead` goes through "
                "`_implicitHeader()`, which calls `writeHead` too, so both paths are "
                "covered."
            ),
        ),
        Comment(
            key="restore",
            author="hkaur",
            path=MIDDLEWARE,
            start_anchor="const writeHead = ctx.res.writeHead",
            anchor="return writeHead.apply(this, args)",
            body=(
                "Should we restore the original `writeHead` afterwards? Probably not "
                "needed since `res` lives for one request, just checking you thought "
                "about it. Also: if two `responseTime()` instances are registered the "
                "wrappers nest, and the outer one wins. Fine."
            ),
        ),
        Comment(
            key="restore-reply",
            author="nadia-okafor",
            association="CONTRIBUTOR",
            reply_to="restore",
            body=(
                "Yes, `res` is per request so there's nothing to restore. And if "
                "writeHead is never called (handler never responds) the wrapper just "
                "goes away with the response object."
            ),
        ),
        Comment(
            key="test",
            author="lena-fischer",
            path=MIDDLEWARE_TEST,
            anchor="assert.deepEqual(errors, ['db timeout'])",
            body=(
                "Could you also assert the header value on a successful request? "
                "Right now nothing checks that `X-Response-Time` is set at all, which "
                "is how the `0.0ms` part of #2 went unnoticed."
            ),
        ),
        Comment(
            key="lgtm",
            author="gabriel-m",
            association="OWNER",
            path=MIDDLEWARE,
            anchor="    await next()",
            body="lgtm",
        ),
    ),
    conversation=(
        IssueComment(
            author="github-actions[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "✅ **test** (18) passed in 41s\n"
                "✅ **test** (20) passed in 38s\n"
                "✅ **test** (21) passed in 39s"
            ),
        ),
    ),
)

_LOOKUP_V1 = """\
  lookup (path) {
    const segments = split(path)
    const params = {}
    let node = this.root
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]
      const next = node.children.get(segment)
      if (next) {
        node = next
      } else if (node.paramChild) {
        params[node.paramChild.paramName] = segment
        node = node.paramChild
      } else if (node.wildcard) {
        params['*'] = segments.slice(i).join('/')
        node = node.wildcard
        break
      } else {
        return null
      }
    }
    if (!node.handlers) return null
    return { handlers: node.handlers, params }
  }
}
"""

_LOOKUP_V2 = """\
  lookup (path) {
    const params = {}
    const node = match(this.root, split(path), 0, params)
    if (!node) return null
    return { handlers: node.handlers, params }
  }
}

/**
 * Depth-first match: static child first, then the param child, then the
 * wildcard, backtracking when a branch does not lead to a handler.
 */
function match (node, segments, i, params) {
  if (i === segments.length) return node.handlers ? node : null
  const segment = segments[i]
  const child = node.children.get(segment)
  if (child) {
    const found = match(child, segments, i + 1, params)
    if (found) return found
  }
  if (node.paramChild) {
    const found = match(node.paramChild, segments, i + 1, params)
    if (found) {
      params[node.paramChild.paramName] = segment
      return found
    }
  }
  if (node.wildcard && node.wildcard.handlers) {
    params['*'] = segments.slice(i).join('/')
    return node.wildcard
  }
  return null
}
"""

_WILDCARD_TESTS = """\
test('wildcard captures the rest of the path', () => {
  const tree = new RadixTree()
  tree.insert('/assets/*', ['static'])
  assert.deepEqual(tree.lookup('/assets/css/site.css').params, { '*': 'css/site.css' })
})

test('returns null for unknown paths', () => {
"""

_WILDCARD_TESTS_MORE = """\
test('backtracks from a param branch to a wildcard', () => {
  const tree = new RadixTree()
  tree.insert('/assets/:file', ['file'])
  tree.insert('/assets/*', ['static'])
  assert.deepEqual(tree.lookup('/assets/css/site.css').handlers, ['static'])
  assert.deepEqual(tree.lookup('/assets/logo.svg').handlers, ['file'])
})

test('rejects a wildcard that is not the last segment', () => {
  assert.throws(() => new RadixTree().insert('/files/*/raw', []), /last segment/)
})

test('returns null for unknown paths', () => {
"""

PR_WILDCARD = PullSpec(
    title="Support wildcard routes (`/assets/*`)",
    body=(
        "Adds a catch-all segment. `*` matches the rest of the path and is exposed as "
        "`ctx.params['*']`. Static and param segments still take precedence."
    ),
    author="nadia-okafor",
    branch="feature/wildcard-routes",
    labels=("enhancement",),
    changes=(
        FileChange(
            TREE,
            edits=(
                Edit(
                    " * parameters (`:id`).\n",
                    " * parameters (`:id`), which are matched before the catch-all "
                    "(`*`).\n",
                ),
                Edit(
                    "    this.paramName = null\n",
                    "    this.paramName = null\n    this.wildcard = null\n",
                ),
                Edit(
                    "    for (const segment of segments) {\n"
                    "      if (segment.startsWith(':')) {\n",
                    "    for (const segment of segments) {\n"
                    "      if (segment === '*') {\n"
                    "        node.wildcard = node.wildcard || new Node('*')\n"
                    "        node = node.wildcard\n"
                    "        break\n"
                    "      }\n"
                    "      if (segment.startsWith(':')) {\n",
                ),
                Edit(
                    _TREE[
                        _TREE.index("  lookup (path) {") : _TREE.index("function split")
                    ],
                    _LOOKUP_V1 + "\n",
                ),
            ),
        ),
        FileChange(
            TREE_TEST,
            edits=(
                Edit(
                    "test('returns null for unknown paths', () => {\n", _WILDCARD_TESTS
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            TREE,
            edits=(
                Edit(
                    "    for (const segment of segments) {\n"
                    "      if (segment === '*') {\n",
                    "    for (const [i, segment] of segments.entries()) {\n"
                    "      if (segment === '*') {\n"
                    "        if (i !== segments.length - 1) {\n"
                    "          throw new Error(`Wildcard must be the last segment: "
                    "${path}`)\n"
                    "        }\n",
                ),
                Edit(_LOOKUP_V1, _LOOKUP_V2),
            ),
        ),
        FileChange(
            TREE_TEST,
            edits=(
                Edit(
                    "test('returns null for unknown paths', () => {\n",
                    _WILDCARD_TESTS_MORE,
                ),
            ),
        ),
    ),
    fixup_message="Backtrack to wildcards and reject non-terminal wildcards",
    comments=(
        Comment(
            key="no-backtrack",
            author="dmitri-p",
            association="COLLABORATOR",
            path=TREE,
            anchor="} else if (node.wildcard) {",
            outdated=True,
            body=(
                "The wildcard is only tried when neither a static nor a param child "
                "exists at this level. With `/assets/:file` and `/assets/*` both "
                "registered, `/assets/css/site.css` goes into the param branch, fails "
                "at `site.css` and returns `null` (404) instead of falling back to the "
                "wildcard. The loop needs to backtrack; a small recursive matcher is "
                "the simplest way."
            ),
        ),
        Comment(
            key="no-backtrack-reply",
            author="nadia-okafor",
            association="CONTRIBUTOR",
            reply_to="no-backtrack",
            outdated=True,
            body=(
                "Good catch, fixed in the next commit: `lookup` is now a depth-first "
                "`match()` that tries static → param → wildcard and backtracks. Added "
                "your example as a test."
            ),
        ),
        Comment(
            key="silent-break",
            author="gabriel-m",
            association="OWNER",
            path=TREE,
            anchor="for (const segment of segments) {",
            outdated=True,
            body=(
                "With the `break` below, `/files/*/raw` silently registers as "
                "`/files/*` and the `/raw` part is ignored. That's going to be a fun "
                "one to debug for whoever hits it. Please throw at registration time "
                "instead."
            ),
        ),
        Comment(
            key="silent-break-reply",
            author="nadia-okafor",
            association="CONTRIBUTOR",
            reply_to="silent-break",
            outdated=True,
            body=(
                "Done, it throws `Wildcard must be the last segment: /files/*/raw` now."
            ),
        ),
        Comment(
            key="params-order",
            author="hkaur",
            path=TREE,
            start_anchor=(
                "const found = match(node.paramChild, segments, i + 1, params)"
            ),
            anchor="params[node.paramChild.paramName] = segment",
            body=(
                "Setting the param only after the recursive call succeeds is nice: a "
                "branch that fails halfway doesn't leave stale params behind. The "
                "wildcard branch below doesn't need that because it can't fail."
            ),
        ),
        Comment(
            key="depth",
            author="lena-fischer",
            path=TREE,
            anchor="function match (node, segments, i, params) {",
            body=(
                "Recursion depth is the number of segments; Node caps the request line "
                "at 16 KB by default, so at most ~8k segments. Fine for the stack, "
                "but worst-case backtracking with many param levels is exponential-ish "
                "in theory. Do we care?"
            ),
        ),
        Comment(
            key="depth-reply",
            author="dmitri-p",
            association="COLLABORATOR",
            reply_to="depth",
            body=(
                "Each node has at most one param child and one wildcard, so a failed "
                "branch is retried at most twice per level, and only along paths that "
                "exist in the tree. find-my-way does the same. I wouldn't worry."
            ),
        ),
        Comment(
            key="double-slash",
            author="hkaur",
            path=TREE,
            anchor="params['*'] = segments.slice(i).join('/')",
            body=(
                "Because `split` drops empty segments, `/assets/a//b/` gives "
                "`'a/b'`: double and trailing slashes are normalized away. Probably "
                "what most people want, but worth a line in the README since a "
                "static-file handler might care."
            ),
        ),
        Comment(
            key="sonar",
            author="sonarcloud[bot]",
            author_type="Bot",
            association="NONE",
            path=TREE,
            anchor="if (node.wildcard && node.wildcard.handlers) {",
            body=(
                "**Code Smell** (Minor): Prefer using an optional chain expression "
                "instead, as it's more concise and easier to read.\n\n"
                "[See rule javascript:S6582](https://sonarcloud.io/organizations/"
                "sprout-js/rules?open=javascript%3AS6582)"
            ),
        ),
    ),
)

PR_JSON_400 = PullSpec(
    title="json(): answer 400 for malformed bodies",
    body=(
        "`JSON.parse` errors bubbled up as 500. They now become a 400 with "
        "`err.expose = true`, and an oversized `Content-Length` is rejected before "
        "reading the body.\n\nFixes #5"
    ),
    author="tomas-vk",
    branch="fix/json-400",
    labels=("bug",),
    changes=(
        FileChange(
            MIDDLEWARE,
            edits=(
                Edit(
                    "    if (!type.startsWith('application/json')) return next()\n",
                    "    if (!type.startsWith('application/json')) return next()\n"
                    "    const declared = Number(ctx.req.headers['content-length'])\n"
                    "    if (declared > limit) throw httpError(413, 'Payload Too "
                    "Large')\n",
                ),
                Edit(
                    "    ctx.body = "
                    "JSON.parse(Buffer.concat(chunks).toString('utf8'))\n",
                    "    try {\n"
                    "      ctx.body = "
                    "JSON.parse(Buffer.concat(chunks).toString('utf8'))\n"
                    "    } catch (err) {\n"
                    "      throw httpError(400, `Invalid JSON: ${err.message}`)\n"
                    "    }\n",
                ),
                Edit(
                    "module.exports = { responseTime, json }\n",
                    "function httpError (status, message) {\n"
                    "  const err = new Error(message)\n"
                    "  err.status = status\n"
                    "  err.expose = status < 500\n"
                    "  return err\n"
                    "}\n"
                    "\n"
                    "module.exports = { responseTime, json }\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="leak",
            author="dmitri-p",
            association="COLLABORATOR",
            path=MIDDLEWARE,
            anchor="throw httpError(400, `Invalid JSON: ${err.message}`)",
            body=(
                "`defaultOnError` sends `err.message` for non-500s, so the V8 parser "
                "message goes to the client verbatim, e.g. `Unexpected token } in JSON "
                "at position 12`. Harmless, but it changes wording between Node "
                "versions and people will snapshot-test it. A fixed message is "
                "friendlier:\n\n"
                "```suggestion\n"
                "      throw httpError(400, 'Invalid JSON body')\n"
                "```"
            ),
        ),
        Comment(
            key="leak-reply",
            author="tomas-vk",
            association="CONTRIBUTOR",
            reply_to="leak",
            body=(
                "I'd rather keep the position: it's the only hint API users get about "
                "*where* their payload is broken, and Express/body-parser sends the "
                "same message. I'll note in the docs that the text is not stable."
            ),
        ),
        Comment(
            key="empty",
            author="hkaur",
            path=MIDDLEWARE,
            anchor="ctx.body = JSON.parse(Buffer.concat(chunks).toString('utf8'))",
            body=(
                "An empty body with `content-type: application/json` (common for "
                "`DELETE` from some HTTP clients) now gets a 400 "
                "`Unexpected end of JSON input`. body-parser treats an empty body as "
                "`{}`. Should we special-case `chunks.length === 0`?"
            ),
        ),
        Comment(
            key="nan",
            author="lena-fischer",
            path=MIDDLEWARE,
            start_anchor="const declared = Number(ctx.req.headers['content-length'])",
            anchor="if (declared > limit) throw httpError(413, 'Payload Too Large')",
            body=(
                "Nice early exit. For chunked requests the header is missing, "
                "`Number(undefined)` is `NaN` and `NaN > limit` is false, so we fall "
                "through to the streaming check. Correct, just not obvious; a comment "
                "would help."
            ),
        ),
        Comment(
            key="drain",
            author="gabriel-m",
            association="OWNER",
            path=MIDDLEWARE,
            anchor="if (declared > limit) throw httpError(413, 'Payload Too Large')",
            body=(
                "When we throw here without reading the body, Node will keep the "
                "socket busy until the client finishes uploading (or resets). For a "
                "413 it's better to also set `Connection: close`; otherwise keep-alive "
                "clients hang. Can be a follow-up."
            ),
        ),
        Comment(
            key="thanks",
            author="lena-fischer",
            path=MIDDLEWARE,
            anchor="err.expose = status < 500",
            body="Thanks!",
        ),
    ),
    conversation=(
        IssueComment(
            author="codecov[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "## [Codecov](https://app.codecov.io/gh/sprout-js/sprout-router) "
                "Report\n"
                "Attention: Patch coverage is `75.00000%` with `2 lines` in your "
                "changes missing coverage. Please review.\n\n"
                "| Files | Patch % | Lines |\n|---|---|---|\n"
                "| lib/middleware.js | 75.00% | [2 Missing :warning: ] |\n"
            ),
        ),
    ),
)

_QUERY_ARRAYS_V1 = """\
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1))
    if (key in result) {
      const existing = result[key]
      result[key] = Array.isArray(existing) ? [...existing, value] : [existing, value]
    } else {
      result[key] = value
    }
"""

_QUERY_ARRAYS_V2 = """\
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1))
    const existing = result[key]
    if (existing === undefined) {
      result[key] = value
    } else if (Array.isArray(existing)) {
      existing.push(value)
    } else {
      result[key] = [existing, value]
    }
"""

PR_QUERY_ARRAYS = PullSpec(
    title="Query string: parse repeated keys into arrays",
    body=(
        "`?tag=a&tag=b` used to keep only the last value. It now yields "
        "`{ tag: ['a', 'b'] }`, like Node's `querystring` and `qs`."
    ),
    author="lena-fischer",
    author_association="MEMBER",
    branch="feature/query-arrays",
    labels=("enhancement",),
    changes=(
        FileChange(
            QUERY,
            edits=(
                Edit(
                    "    const value = eq === -1 ? '' : decode(pair.slice(eq + 1))\n"
                    "    result[key] = value\n",
                    _QUERY_ARRAYS_V1,
                ),
            ),
        ),
        FileChange(
            QUERY_TEST,
            edits=(
                Edit(
                    "  assert.deepEqual(parseQuery('flag'), { flag: '' })\n})\n",
                    "  assert.deepEqual(parseQuery('flag'), { flag: '' })\n})\n"
                    "\n"
                    "test('repeated keys become arrays', () => {\n"
                    "  assert.deepEqual(parseQuery('tag=a&tag=b&tag=c'), "
                    "{ tag: ['a', 'b', 'c'] })\n"
                    "})\n",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            QUERY,
            edits=(
                Edit("  const result = {}\n", "  const result = Object.create(null)\n"),
                Edit(_QUERY_ARRAYS_V1, _QUERY_ARRAYS_V2),
            ),
        ),
        FileChange(
            QUERY_TEST,
            edits=(
                Edit(
                    "const { parseQuery } = require('../lib/query')\n",
                    "const { parseQuery } = require('../lib/query')\n"
                    "\n"
                    "// parseQuery returns null-prototype objects\n"
                    "const obj = (fields) => Object.assign(Object.create(null), "
                    "fields)\n",
                ),
                Edit("{ a: '1', b: 'two' })", "obj({ a: '1', b: 'two' }))"),
                Edit("{ q: 'hello world!' })", "obj({ q: 'hello world!' }))"),
                Edit("{ flag: '' })", "obj({ flag: '' }))"),
                Edit("{ tag: ['a', 'b', 'c'] })", "obj({ tag: ['a', 'b', 'c'] }))"),
                Edit(
                    "test('repeated keys become arrays', () => {\n",
                    "test('keys named like Object.prototype members are plain keys', "
                    "() => {\n"
                    "  const query = parseQuery('__proto__=x&toString=1&toString=2')\n"
                    "  assert.equal(Object.getPrototypeOf(query), null)\n"
                    "  assert.deepEqual(query.toString, ['1', '2'])\n"
                    "  assert.equal({}.x, undefined)\n"
                    "})\n"
                    "\n"
                    "test('repeated keys become arrays', () => {\n",
                ),
            ),
        ),
    ),
    fixup_message="Use a null-prototype result and push into existing arrays",
    comments=(
        Comment(
            key="proto",
            author="dmitri-p",
            association="COLLABORATOR",
            path=QUERY,
            anchor="if (key in result) {",
            outdated=True,
            body=(
                "`result` is a plain `{}`, so `in` sees inherited keys: "
                '`?toString=x` takes the "existing" branch and produces '
                "`[Function: toString], 'x']`, and `?__proto__=a&__proto__=b` "
                "assigns an array to `result.__proto__`, which *replaces the "
                "prototype* of the query object. Not global pollution, but any "
                "handler doing `ctx.query.hasOwnProperty(...)` breaks. Please use "
                "`Object.create(null)` for the result."
            ),
        ),
        Comment(
            key="proto-reply",
            author="lena-fischer",
            association="MEMBER",
            reply_to="proto",
            outdated=True,
            body=(
                "Ugh, good catch, fixed in the next commit. The result is "
                "null-prototype now and there's a test with `__proto__` and "
                "`toString` keys. Side effect: the existing tests needed "
                "`Object.create(null)` expectations because `assert/strict` compares "
                "prototypes."
            ),
        ),
        Comment(
            key="quadratic",
            author="hkaur",
            path=QUERY,
            anchor="[...existing, value] : [existing, value]",
            outdated=True,
            body=(
                "Spreading into a new array on every repeat is O(n²) in the number of "
                "values for one key. `?id=1&id=2&...` with 10k ids (we get those from "
                "a bulk-export client) means ~50M element copies per request. "
                "`existing.push(value)` is enough once it's an array."
            ),
        ),
        Comment(
            key="quadratic-reply",
            author="lena-fischer",
            association="MEMBER",
            reply_to="quadratic",
            outdated=True,
            body="Done.",
        ),
        Comment(
            key="breaking",
            author="gabriel-m",
            association="OWNER",
            path=QUERY,
            anchor="result[key] = [existing, value]",
            body=(
                "This is a breaking change in disguise: handlers doing "
                "`ctx.query.page.toLowerCase()` now throw for `?page=1&page=2`, "
                "which any client can send. Either this waits for 3.0 or it goes "
                "behind an option."
            ),
        ),
        Comment(
            key="breaking-reply",
            author="lena-fischer",
            association="MEMBER",
            reply_to="breaking",
            body=(
                "Fair. Handlers that trust query types are already broken for "
                "`?page` (empty string) though. I'd merge this into the 3.0 branch "
                "with a changelog entry rather than add an option we'd deprecate "
                "right away."
            ),
        ),
        Comment(
            key="breaking-reply-2",
            author="gabriel-m",
            association="OWNER",
            reply_to="breaking",
            body="OK, 3.0 it is. I'll hold the merge until we branch.",
        ),
        Comment(
            key="test-proto",
            author="dmitri-p",
            association="COLLABORATOR",
            path=QUERY_TEST,
            anchor="assert.equal({}.x, undefined)",
            body="+1",
        ),
    ),
)

PR_AUTOCANNON = PullSpec(
    title="Bump autocannon from 7.12.0 to 7.15.0",
    body=(
        "Bumps [autocannon](https://github.com/mcollina/autocannon) from 7.12.0 to "
        "7.15.0.\n"
        "<details>\n<summary>Commits</summary>\n<ul>\n"
        "<li><code>4ec3b65</code> Bumped v7.15.0</li>\n"
        "<li><code>9a3d2f7</code> feat: add <code>--warmup</code> option</li>\n"
        "<li><code>c1b0e88</code> chore(deps): update undici to v6</li>\n"
        "</ul>\n</details>\n\n"
        "Dependabot will resolve any conflicts with this PR as long as you don't "
        "alter it yourself."
    ),
    author="dependabot[bot]",
    author_association="NONE",
    branch="dependabot/npm_and_yarn/autocannon-7.15.0",
    labels=("dependencies",),
    commit_message="Bump autocannon from 7.12.0 to 7.15.0",
    changes=(
        FileChange(
            "package.json",
            edits=(Edit('"autocannon": "^7.12.0",', '"autocannon": "^7.15.0",'),),
        ),
        FileChange("package-lock.json", content=_LOCK_V2),
    ),
    comments=(
        Comment(
            key="undici",
            author="hkaur",
            path="package-lock.json",
            anchor='"version": "7.15.0",',
            body=(
                "Dev-only and the bench numbers didn't move (7.15 switched to undici 6 "
                "internally, same client we benchmark against). 👍"
            ),
        ),
    ),
    conversation=(
        IssueComment(
            author="github-actions[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "✅ **test** (18) passed in 40s\n"
                "✅ **test** (20) passed in 37s\n"
                "✅ **test** (21) passed in 38s"
            ),
        ),
        IssueComment(author="gabriel-m", association="OWNER", body="LGTM"),
    ),
)

_DECODE_PARAMS_FN = """\
function decodeParams (params) {
  const decoded = {}
  for (const [name, value] of Object.entries(params)) {
    decoded[name] = decodeURIComponent(value)
  }
  return decoded
}

function defaultNotFound (ctx) {
"""

PR_DECODE_PARAMS = PullSpec(
    title="Percent-decode route params",
    body=(
        "`ctx.params` now holds decoded values, so `/files/r%C3%A9sum%C3%A9.pdf` gives "
        "`résumé.pdf`. Malformed escapes answer 400.\n\nFixes #8"
    ),
    author="tomas-vk",
    branch="fix/decode-params",
    labels=("bug",),
    changes=(
        FileChange(
            ROUTER,
            edits=(
                Edit(
                    "    ctx.params = match.params\n",
                    "    ctx.params = decodeParams(match.params)\n",
                ),
                Edit("function defaultNotFound (ctx) {\n", _DECODE_PARAMS_FN),
            ),
        ),
        FileChange(
            ROUTER_TEST,
            edits=(
                Edit(
                    "test('maps thrown errors to 500', async () => {\n",
                    "test('decodes params', async () => {\n"
                    "  const router = sprout()\n"
                    "  router.get('/files/:name', (ctx) => "
                    "ctx.res.end(ctx.params.name))\n"
                    "  const res = await request(router, 'GET', "
                    "'/files/r%C3%A9sum%C3%A9.pdf')\n"
                    "  assert.equal(res.body, 'résumé.pdf')\n"
                    "})\n"
                    "\n"
                    "test('maps thrown errors to 500', async () => {\n",
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            ROUTER,
            edits=(
                Edit(
                    "    ctx.params = decodeParams(match.params)\n",
                    "    try {\n"
                    "      ctx.params = decodeParams(match.params)\n"
                    "    } catch (err) {\n"
                    "      // URIError from a malformed escape such as %E0%A4%A\n"
                    "      ctx.res.statusCode = 400\n"
                    "      return ctx.res.end('Bad Request')\n"
                    "    }\n",
                ),
            ),
        ),
        FileChange(
            ROUTER_TEST,
            edits=(
                Edit(
                    "test('maps thrown errors to 500', async () => {\n",
                    "test('answers 400 for malformed escapes in params', async () => "
                    "{\n"
                    "  const router = sprout()\n"
                    "  router.get('/files/:name', (ctx) => "
                    "ctx.res.end(ctx.params.name))\n"
                    "  const res = await request(router, 'GET', '/files/%E0%A4%A')\n"
                    "  assert.equal(res.statusCode, 400)\n"
                    "})\n"
                    "\n"
                    "test('maps thrown errors to 500', async () => {\n",
                ),
            ),
        ),
    ),
    fixup_message="Answer 400 instead of crashing on malformed escapes",
    comments=(
        Comment(
            key="crash",
            author="gabriel-m",
            association="OWNER",
            path=ROUTER,
            anchor="ctx.params = decodeParams(match.params)",
            outdated=True,
            body=(
                "`decodeURIComponent('%E0%A4%A')` throws `URIError: URI malformed`, "
                "and this runs *before* `chain(ctx).catch(...)`, so the error escapes "
                "`handle()` synchronously, straight into the `http.createServer` "
                "callback → uncaught exception → process exit. One `curl "
                "/files/%E0%A4%A` takes the server down. The PR description says "
                "400, but nothing does that yet."
            ),
        ),
        Comment(
            key="crash-reply",
            author="tomas-vk",
            association="CONTRIBUTOR",
            reply_to="crash",
            outdated=True,
            body=(
                "Oof. I had the 400 in my head and never wrote it. Fixed in the next "
                "commit, with a test for the malformed case."
            ),
        ),
        Comment(
            key="query-too",
            author="dmitri-p",
            association="COLLABORATOR",
            path=ROUTER,
            anchor="ctx.res.statusCode = 400",
            body=(
                "Same problem a few lines up: `parseQuery(search)` → `decode` → "
                "`decodeURIComponent` throws for `?q=%E0`, also before the chain and "
                "outside this `try`. That one is on `main` already, so it's a crash "
                "anyone can trigger today."
            ),
        ),
        Comment(
            key="query-too-reply",
            author="tomas-vk",
            association="CONTRIBUTOR",
            reply_to="query-too",
            body=(
                "Good catch. I'll fix that in a separate PR right after this one: "
                "`decode` should fall back to the raw text like Node's "
                "`querystring.unescape` does, since a bad query param shouldn't fail "
                "the whole request."
            ),
        ),
        Comment(
            key="wildcard",
            author="hkaur",
            path=ROUTER,
            start_anchor="for (const [name, value] of Object.entries(params)) {",
            anchor="decoded[name] = decodeURIComponent(value)",
            body=(
                "This also decodes `params['*']`, so `/static/..%2F..%2Fetc%2Fpasswd` "
                "turns into `../../etc/passwd`. A file-serving handler that joins the "
                "wildcard onto a root directory without normalizing is now "
                "traversable. Should the wildcard stay raw?"
            ),
        ),
        Comment(
            key="wildcard-reply",
            author="tomas-vk",
            association="CONTRIBUTOR",
            reply_to="wildcard",
            body=(
                "Keeping it raw would make `*` the only param that isn't decoded, "
                "which is its own footgun. find-my-way decodes it too. Our "
                "`serveStatic` resolves and checks the root already; I'll add a "
                "warning to the README wildcard section instead."
            ),
        ),
        Comment(
            key="perf",
            author="lena-fischer",
            path=ROUTER,
            anchor="function decodeParams (params) {",
            body=(
                "Tiny perf thing: most params contain no `%`, and "
                "`decodeURIComponent` isn't free. "
                "`value.includes('%') ? decodeURIComponent(value) : value` skips it "
                "for the common case; it showed up as ~3% in the hello-world bench "
                "when I tried it."
            ),
        ),
        Comment(
            key="test",
            author="gabriel-m",
            association="OWNER",
            path=ROUTER_TEST,
            anchor="assert.equal(res.body, 'résumé.pdf')",
            body="nice",
        ),
    ),
)

PR_RENAME_QUERY = PullSpec(
    title="Rename lib/query.js to lib/querystring.js and add stringifyQuery",
    body=(
        "The module is about to grow a serializer (needed for `router.url()` later), "
        "so it gets the name it will have. `decode` now falls back to the raw text "
        "for malformed escapes instead of throwing, as promised in the params PR."
    ),
    author="tomas-vk",
    branch="refactor/querystring-module",
    labels=("enhancement",),
    changes=(
        FileChange(
            QUERYSTRING,
            rename_from=QUERY,
            edits=(
                Edit(
                    "function decode (text) {\n"
                    "  return decodeURIComponent(text.replaceAll('+', ' '))\n"
                    "}\n"
                    "\n"
                    "module.exports = { parseQuery }\n",
                    "/** Serializes an object into a query string (without `?`). */\n"
                    "function stringifyQuery (query) {\n"
                    "  const parts = []\n"
                    "  for (const [key, value] of Object.entries(query)) {\n"
                    "    for (const item of Array.isArray(value) ? value : [value]) {\n"
                    "      parts.push(encodeURIComponent(key) + '=' + "
                    "encodeURIComponent(item))\n"
                    "    }\n"
                    "  }\n"
                    "  return parts.join('&')\n"
                    "}\n"
                    "\n"
                    "function decode (text) {\n"
                    "  const spaced = text.replaceAll('+', ' ')\n"
                    "  try {\n"
                    "    return decodeURIComponent(spaced)\n"
                    "  } catch {\n"
                    "    return spaced\n"
                    "  }\n"
                    "}\n"
                    "\n"
                    "module.exports = { parseQuery, stringifyQuery }\n",
                ),
            ),
        ),
        FileChange(
            ROUTER,
            edits=(
                Edit(
                    "const { parseQuery } = require('./query')\n",
                    "const { parseQuery } = require('./querystring')\n",
                ),
            ),
        ),
        FileChange(
            QUERY_TEST,
            edits=(
                Edit(
                    "const { parseQuery } = require('../lib/query')\n",
                    "const { parseQuery, stringifyQuery } = "
                    "require('../lib/querystring')\n",
                ),
                Edit(
                    "test('repeated keys become arrays', () => {\n",
                    "test('malformed escapes are kept as-is', () => {\n"
                    "  assert.deepEqual(parseQuery('q=%E0%A4%A'), obj({ q: '%E0%A4%A' "
                    "}))\n"
                    "})\n"
                    "\n"
                    "test('stringifies arrays as repeated keys', () => {\n"
                    "  assert.equal(stringifyQuery({ tag: ['a b', 'c'] }), "
                    "'tag=a%20b&tag=c')\n"
                    "})\n"
                    "\n"
                    "test('repeated keys become arrays', () => {\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="deep-require",
            author="gabriel-m",
            association="OWNER",
            path=ROUTER,
            anchor="const { parseQuery } = require('./querystring')",
            body=(
                "We have no `exports` map in package.json, so "
                "`require('sprout-router/lib/query')` works today and I know at least "
                "one plugin (sprout-validate) does exactly that. Can we leave a "
                "one-line `lib/query.js` re-export until 3.0?"
            ),
        ),
        Comment(
            key="deep-require-reply",
            author="tomas-vk",
            association="CONTRIBUTOR",
            reply_to="deep-require",
            body=(
                "Deep requires into `lib/` were never public API, and `files` in "
                "package.json doesn't promise anything about layout. But breaking a "
                "known plugin in a minor isn't nice; I'll add the shim in a follow-up "
                "with a deprecation warning, same as `compat.js`."
            ),
        ),
        Comment(
            key="null",
            author="hkaur",
            path=QUERYSTRING,
            anchor="for (const item of Array.isArray(value) ? value : [value]) {",
            body=(
                "`stringifyQuery({ a: undefined })` gives `a=undefined` and "
                "`{ a: null }` gives `a=null`. `URLSearchParams` does the same, but "
                "qs skips undefined. Since we'll feed `router.url()` from user "
                "objects, skipping `undefined` seems kinder:\n\n"
                "```suggestion\n"
                "    if (value === undefined) continue\n"
                "    for (const item of Array.isArray(value) ? value : [value]) {\n"
                "```"
            ),
        ),
        Comment(
            key="space",
            author="lena-fischer",
            path=QUERYSTRING,
            anchor=(
                "parts.push(encodeURIComponent(key) + '=' + encodeURIComponent(item))"
            ),
            body=(
                "Asymmetric with `parseQuery`: we decode `+` as space but encode space "
                "as `%20`. Both are valid, just noting it so nobody writes a "
                "round-trip test expecting `+`."
            ),
        ),
        Comment(
            key="catch",
            author="dmitri-p",
            association="COLLABORATOR",
            path=QUERYSTRING,
            start_anchor="    return decodeURIComponent(spaced)",
            anchor="    return spaced",
            body=(
                "👍 this closes the `?q=%E0` crash from the params PR. Optional catch "
                "binding needs Node 10+, fine with our `engines`."
            ),
        ),
    ),
)

_FIND_V1 = """\
  find (method, path) {
    const key = method + ' ' + path
    const cached = this.cache.get(key)
    if (cached !== undefined) return cached
    const tree = this.trees.get(method)
    const match = tree ? tree.lookup(path) : null
    this.cache.set(key, match)
    return match
  }
"""

_FIND_V2 = """\
  find (method, path) {
    const key = method + ' ' + path
    const hit = this.cache.get(key)
    if (hit !== undefined) {
      // Maps iterate in insertion order: re-inserting keeps hot routes at the end.
      this.cache.delete(key)
      this.cache.set(key, hit)
      return hit
    }
    const tree = this.trees.get(method)
    const match = tree ? tree.lookup(path) : null
    if (match) {
      Object.freeze(match.params)
      if (this.cache.size >= this.cacheSize) {
        this.cache.delete(this.cache.keys().next().value)
      }
      this.cache.set(key, match)
    }
    return match
  }
"""

PR_CACHE = PullSpec(
    title="Cache route lookups per method and path",
    body=(
        "Most traffic hits a handful of paths. Caching `find()` results skips the tree "
        "walk for them.\n\n"
        "`autocannon -c 100 -d 20` on `bench/hello.js` (`/users/:id/posts/:postId`), "
        "Node 20, M2:\n\n"
        "| | req/s | p99 |\n|---|---|---|\n"
        "| main | 61.2k | 3.1 ms |\n| this PR | 68.9k | 2.7 ms |"
    ),
    author="dmitri-p",
    author_association="COLLABORATOR",
    branch="perf/lookup-cache",
    labels=("performance",),
    changes=(
        FileChange(
            ROUTER,
            edits=(
                Edit(
                    "    this.middleware = []\n",
                    "    this.middleware = []\n    this.cache = new Map()\n",
                ),
                Edit(
                    "  find (method, path) {\n"
                    "    const tree = this.trees.get(method)\n"
                    "    return tree ? tree.lookup(path) : null\n"
                    "  }\n",
                    _FIND_V1,
                ),
            ),
        ),
    ),
    fixups=(
        FileChange(
            ROUTER,
            edits=(
                Edit(
                    "    this.cache = new Map()\n",
                    "    this.cache = new Map()\n"
                    "    this.cacheSize = options.cacheSize ?? 1000\n",
                ),
                Edit(
                    "    this.trees.get(method).insert(path, handlers)\n",
                    "    this.trees.get(method).insert(path, handlers)\n"
                    "    this.cache.clear()\n",
                ),
                Edit(_FIND_V1, _FIND_V2),
            ),
        ),
    ),
    fixup_message="Bound the lookup cache, skip misses, invalidate on new routes",
    conversation=(
        IssueComment(
            author="codecov[bot]",
            author_type="Bot",
            association="NONE",
            body=(
                "## [Codecov](https://app.codecov.io/gh/sprout-js/sprout-router) "
                "Report\n"
                "All modified and coverable lines are covered by tests "
                ":white_check_mark:\n\n"
                "> Project coverage is 96.12%. Comparing base (`41d0c7e`) to head "
                "(`a93be20`)."
            ),
        ),
    ),
    comments=(
        Comment(
            key="unbounded",
            author="gabriel-m",
            association="OWNER",
            path=ROUTER,
            anchor="    this.cache.set(key, match)",
            outdated=True,
            body=(
                "This cache is unbounded and keyed by the raw path, including misses "
                "(`null`). A scanner hitting `/wp-admin/<random>` grows it forever: "
                "that's a memory-exhaustion DoS in a router whose whole selling point "
                "is being safe to put on the internet. Needs a size bound, and misses "
                "shouldn't be cached at all."
            ),
        ),
        Comment(
            key="unbounded-reply",
            author="dmitri-p",
            association="COLLABORATOR",
            reply_to="unbounded",
            outdated=True,
            body=(
                "You're right, I only benchmarked the happy path. Fixed in the next "
                "commit: misses aren't cached and the cache is an LRU bounded by "
                "`cacheSize` (default 1000)."
            ),
        ),
        Comment(
            key="stale",
            author="lena-fischer",
            path=ROUTER,
            anchor="const cached = this.cache.get(key)",
            outdated=True,
            body=(
                "Routes registered after the first request (some plugins register "
                "lazily on first use) never become reachable for paths that were "
                "already cached as misses. `on()` needs to clear the cache."
            ),
        ),
        Comment(
            key="stale-reply",
            author="dmitri-p",
            association="COLLABORATOR",
            reply_to="stale",
            outdated=True,
            body="Done, `on()` clears it now.",
        ),
        Comment(
            key="shared",
            author="hkaur",
            path=ROUTER,
            anchor="if (cached !== undefined) return cached",
            outdated=True,
            body=(
                "Every request for the same path now gets the *same* `match` object. "
                "`handle()` copies params via `decodeParams`, but `router.find()` is "
                "public and a caller mutating `match.params` poisons the cache for "
                "everyone after."
            ),
        ),
        Comment(
            key="lru-cost",
            author="gabriel-m",
            association="OWNER",
            path=ROUTER,
            start_anchor="this.cache.delete(key)",
            anchor="this.cache.set(key, hit)",
            body=(
                "The delete/re-set on every hit is two extra hash operations on the "
                "hottest path. Did the numbers in the description survive the fixup?"
            ),
        ),
        Comment(
            key="lru-cost-reply",
            author="dmitri-p",
            association="COLLABORATOR",
            reply_to="lru-cost",
            body=(
                "Re-ran: 68.1k req/s vs 68.9k before the fixup, p99 unchanged. A plain "
                "FIFO (no re-insert) measured 68.7k, but under a scan it evicts the "
                "hot routes first, so I kept the LRU."
            ),
        ),
        Comment(
            key="freeze",
            author="hkaur",
            path=ROUTER,
            anchor="Object.freeze(match.params)",
            body=(
                "Freezing answers my earlier comment; writes now fail loudly in strict "
                "mode instead of poisoning the cache. 👍"
            ),
        ),
        Comment(
            key="sonar",
            author="sonarcloud[bot]",
            author_type="Bot",
            association="NONE",
            path=ROUTER,
            anchor="const key = method + ' ' + path",
            body=(
                "**Code Smell** (Minor): Prefer template literals over string "
                "concatenation.\n\n[See rule javascript:S3512](https://sonarcloud.io/"
                "organizations/sprout-js/rules?open=javascript%3AS3512)"
            ),
        ),
    ),
)

PR_REMOVE_COMPAT = PullSpec(
    title="Remove deprecated router.del() and router.all()",
    body=(
        "Both have printed a deprecation warning since 2.3. Removing them for 3.0, "
        "together with the side-effect `require('./lib/compat')` in `index.js`."
    ),
    author="gabriel-m",
    author_association="OWNER",
    branch="chore/remove-compat",
    labels=("enhancement",),
    changes=(
        FileChange(COMPAT, delete=True),
        FileChange("index.js", edits=(Edit("require('./lib/compat')\n", ""),)),
        FileChange(
            "README.md",
            edits=(
                Edit(
                    "## Deprecated\n"
                    "\n"
                    "`router.del()` and `router.all()` still work but print a "
                    "deprecation warning; they will\n"
                    "be removed in 3.0.\n",
                    "## Upgrading to 3.0\n"
                    "\n"
                    "- `router.del(path)` → `router.delete(path)`\n"
                    "- `router.all(path, fn)` → register each method, e.g.\n"
                    "  `for (const m of sprout.METHODS) app.on(m, path, fn)`\n",
                ),
            ),
        ),
        FileChange(
            "CHANGELOG.md",
            edits=(
                Edit(
                    "## Unreleased\n",
                    "## Unreleased\n- **Breaking:** removed `router.del()` and "
                    "`router.all()`.\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="all-usage",
            author="lena-fischer",
            path=COMPAT,
            side="LEFT",
            anchor="Router.prototype.all = deprecate(function (path, ...handlers) {",
            body=(
                "`all()` is what people use for CORS preflight catch-alls "
                "(`app.all('/api/*', cors)`). The README replacement loops over "
                "`METHODS`, which includes HEAD and OPTIONS while `all()` didn't. "
                "Probably better for CORS, but it's a behaviour difference worth "
                "calling out."
            ),
        ),
        Comment(
            key="all-usage-reply",
            author="gabriel-m",
            association="OWNER",
            reply_to="all-usage",
            body=(
                "Good point, I'll mention it in the 3.0 migration guide. For CORS, "
                "including OPTIONS is exactly what people wanted from `all()` anyway."
            ),
        ),
        Comment(
            key="codes",
            author="hkaur",
            path=COMPAT,
            side="LEFT",
            anchor="'router.del() is deprecated, use router.delete()', 'SPROUT001')",
            body=(
                "Let's keep a list of retired deprecation codes (SPROUT001/002) in "
                "the docs so we don't reuse them; people grep for these in logs."
            ),
        ),
        Comment(
            key="side-effect",
            author="dmitri-p",
            association="COLLABORATOR",
            path="index.js",
            side="LEFT",
            anchor="require('./lib/compat')",
            body=(
                "Nice side benefit: requiring `sprout-router` no longer patches "
                "`Router.prototype` as a side effect, so bundlers can tree-shake "
                "`lib/router.js` properly."
            ),
        ),
        Comment(
            key="readme",
            author="lena-fischer",
            path="README.md",
            anchor="`for (const m of sprout.METHODS) app.on(m, path, fn)`",
            body=(
                "```suggestion\n"
                "  `for (const method of sprout.METHODS) app.on(method, path, fn)`\n"
                "```\n"
                "Single-letter names in docs get copy-pasted into real code."
            ),
        ),
        Comment(
            key="lgtm",
            author="hkaur",
            path="CHANGELOG.md",
            anchor="removed `router.del()` and `router.all()`.",
            body="LGTM",
        ),
    ),
    conversation=(
        IssueComment(author="dmitri-p", association="COLLABORATOR", body="🎉"),
    ),
)

_REGEX_ROUTER = """\
'use strict'

/**
 * Compiles all routes of a method into one RegExp with a named group per route,
 * so a lookup is a single `exec()` call.
 */
function compile (routes) {
  const sources = routes.map((route, i) => {
    const pattern = route.path
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) return `(?<p${i}_${segment.slice(1)}>[^/]+)`
        if (segment === '*') return `(?<p${i}_wild>.*)`
        return escape(segment)
      })
      .join('/')
    return `(?<r${i}>^${pattern}$)`
  })
  return new RegExp(sources.join('|'))
}

function escape (text) {
  return text.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')
}

module.exports = { compile }
"""

PR_REGEX = PullSpec(
    title="Match routes with a single compiled RegExp",
    body=(
        "Experiment: compile every route of a method into one alternation and match "
        "with one `exec()`. Supports `:param(\\\\d+)` constraints for free later.\n\n"
        "On my machine the 10-route benchmark goes from 61k to 64k req/s."
    ),
    author="yusuf-a",
    branch="experiment/regex-matching",
    state="closed",
    labels=("performance",),
    changes=(FileChange("lib/regex-router.js", content=_REGEX_ROUTER),),
    comments=(
        Comment(
            key="precedence",
            author="dmitri-p",
            association="COLLABORATOR",
            path="lib/regex-router.js",
            anchor="return new RegExp(sources.join('|'))",
            body=(
                "Alternation picks the *first registered* route that matches, not "
                "the most specific one, so `/users/:id` registered before `/users/me` "
                "now shadows it. Static-beats-param is documented behaviour in the "
                "README."
            ),
        ),
        Comment(
            key="scaling",
            author="gabriel-m",
            association="OWNER",
            path="lib/regex-router.js",
            start_anchor="const sources = routes.map((route, i) => {",
            anchor="return `(?<r${i}>^${pattern}$)`",
            body=(
                "10 routes is the case where anything is fast. V8 tries the "
                "alternatives one by one, so this is O(routes) per request; with the "
                "400-route API from the issue tracker the radix tree was ~6x faster "
                "when I tried this approach in 1.x. And named groups per route means "
                "`exec()` allocates a groups object with one key per param of *every* "
                "route."
            ),
        ),
        Comment(
            key="redos",
            author="hkaur",
            path="lib/regex-router.js",
            anchor="if (segment === '*') return `(?<p${i}_wild>.*)`",
            body=(
                "Once user-supplied constraints like `:param(\\\\d+)` go into a shared "
                "regex, one bad pattern (`(a+)+`) makes every route vulnerable to "
                "ReDoS, not just its own."
            ),
        ),
    ),
    conversation=(
        IssueComment(
            author="yusuf-a",
            association="CONTRIBUTOR",
            body=(
                "Thanks for the detailed feedback. I re-ran with the 400-route fixture "
                "and the radix tree wins by a lot, you're right. Closing; I'll look at "
                "param constraints on top of the tree instead."
            ),
        ),
    ),
)

PR_DOCS = PullSpec(
    title="docs: error handling and wildcards",
    body="Documents `onError`, `err.status`/`err.expose` and the wildcard semantics.",
    author="lena-fischer",
    author_association="MEMBER",
    branch="docs/errors-wildcards",
    labels=("docs",),
    changes=(
        FileChange(
            "README.md",
            edits=(
                Edit(
                    "- static segments win over parameters at the same position\n",
                    "- wildcards: `/assets/*` (`ctx.params['*']`, e.g. "
                    "`css/site.css`)\n"
                    "- static segments win over parameters, which win over wildcards\n"
                    "- params are percent-decoded, the wildcard included; normalize "
                    "it\n"
                    "  before using it as a file path\n",
                ),
                Edit(
                    "## Upgrading to 3.0\n",
                    "## Errors\n"
                    "\n"
                    "Errors thrown (or rejected) anywhere in the chain go to "
                    "`options.onError(err, ctx)`.\n"
                    "The default answers `err.status` (or 500) and sends `err.message` "
                    "only when\n"
                    "`err.expose` is true, which the built-in middleware sets for 4xx "
                    "errors.\n"
                    "\n"
                    "Always `await next()`: a dropped promise turns a handler error "
                    "into "
                    "an\n"
                    "unhandled rejection, which terminates the process.\n"
                    "\n"
                    "## Upgrading to 3.0\n",
                ),
            ),
        ),
    ),
    comments=(
        Comment(
            key="expose",
            author="dmitri-p",
            association="COLLABORATOR",
            path="README.md",
            anchor="`err.expose` is true, which the built-in middleware sets for 4xx",
            body=(
                "That's not what `defaultOnError` does yet: it sends `err.message` "
                "for any non-500 status and ignores `expose`. Either the docs or the "
                "code needs to change; I'd change the code."
            ),
        ),
        Comment(
            key="expose-reply",
            author="lena-fischer",
            association="MEMBER",
            reply_to="expose",
            body=(
                "Oh, true. I'll send the `defaultOnError` change separately so this "
                "stays docs-only, and hold the merge until then."
            ),
        ),
        Comment(
            key="await",
            author="gabriel-m",
            association="OWNER",
            path="README.md",
            anchor=(
                "Always `await next()`: a dropped promise turns a handler error into"
            ),
            body="+1, this would have saved us #2.",
        ),
    ),
)

PULLS = (
    PR_AWAIT,
    PR_WILDCARD,
    PR_JSON_400,
    PR_QUERY_ARRAYS,
    PR_AUTOCANNON,
    PR_DECODE_PARAMS,
    PR_RENAME_QUERY,
    PR_CACHE,
    PR_REMOVE_COMPAT,
    PR_REGEX,
    PR_DOCS,
)

REPO = RepoSpec(
    owner="sprout-js",
    name="sprout-router",
    language="JavaScript",
    description="A small, fast HTTP router for Node.js: radix tree, async middleware.",
    stars=2391,
    license_spdx="MIT",
    topics=("nodejs", "router", "http", "radix-tree", "middleware"),
    created_at="2021-09-27T18:44:05Z",
    files=FILES,
    pulls=PULLS,
    issues=ISSUES,
)
