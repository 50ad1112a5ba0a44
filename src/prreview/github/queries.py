"""GraphQL documents the client sends. The local server answers exactly these (and any
other query over the same subset of GitHub's schema), so they are the contract between
the two.

One ``PULL_REQUESTS_PAGE`` call returns a page of merged pull requests with their review
threads, review comments, conversation comments, linked issues, labels, commit SHAs and
file list: what the REST API spreads over five calls per PR.
"""

PULL_REQUEST_FIELDS = """
fragment PullRequestFields on PullRequest {
  databaseId
  number
  title
  body
  state
  merged
  mergedAt
  createdAt
  updatedAt
  closedAt
  additions
  deletions
  changedFiles
  baseRefName
  headRefName
  baseRefOid
  headRefOid
  mergeCommit { oid }
  authorAssociation
  author { __typename login }
  labels(first: 20) { nodes { name } }
  closingIssuesReferences(first: 10) {
    nodes { number title body state createdAt closedAt author { __typename login } }
  }
  commits(first: 100) { totalCount nodes { commit { oid } } }
  files(first: 100) {
    totalCount
    nodes { path additions deletions changeType }
  }
  comments(first: 50) {
    totalCount
    nodes {
      databaseId body createdAt authorAssociation
      author { __typename login }
    }
  }
  reviewThreads(first: $threadPageSize) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ...ReviewThreadFields }
  }
}
"""

REVIEW_THREAD_FIELDS = """
fragment ReviewThreadFields on PullRequestReviewThread {
  isResolved
  isOutdated
  path
  diffSide
  startDiffSide
  line
  startLine
  originalLine
  originalStartLine
  comments(first: 100) {
    totalCount
    nodes {
      databaseId
      body
      path
      diffHunk
      line
      startLine
      originalLine
      originalStartLine
      outdated
      createdAt
      updatedAt
      authorAssociation
      author { __typename login }
      replyTo { databaseId }
      commit { oid }
      originalCommit { oid }
      pullRequestReview { databaseId }
    }
  }
}
"""

PULL_REQUESTS_PAGE = (
    """
query PullRequestsPage(
  $owner: String!, $name: String!, $pageSize: Int!, $cursor: String,
  $threadPageSize: Int!
) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    nameWithOwner
    pullRequests(
      states: MERGED, first: $pageSize, after: $cursor,
      orderBy: {field: UPDATED_AT, direction: DESC}
    ) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...PullRequestFields }
    }
  }
}
"""
    + PULL_REQUEST_FIELDS
    + REVIEW_THREAD_FIELDS
)

REVIEW_THREADS_PAGE = (
    """
query ReviewThreadsPage(
  $owner: String!, $name: String!, $number: Int!, $cursor: String, $threadPageSize: Int!
) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviewThreads(first: $threadPageSize, after: $cursor) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { ...ReviewThreadFields }
      }
    }
  }
}
"""
    + REVIEW_THREAD_FIELDS
)
