import type { Identity } from '../../model/inventory.js';
import type { AccessEdge, PathNode } from '../../model/reach.js';
import { awsEdges } from './aws.js';
import { entraEdges } from './entra.js';
import { gcpEdges } from './gcp.js';
import { githubEstate, githubWriterEdges, type GithubEstate } from './github.js';
import { GraphBuilder } from './graph.js';

export interface AccessGraph {
  nodes: PathNode[];
  edges: AccessEdge[];
  github: GithubEstate;
}

/** One graph over every provider in the scan: each provider adds the hops it knows, and GitHub's
 * repositories join them (cloud trusts of workflows, who can change the workflows). */
export function buildAccessGraph(identities: readonly Identity[]): AccessGraph {
  const g = new GraphBuilder(new Map(identities.map((i) => [i.id, i])));
  const github = githubEstate(identities);
  githubWriterEdges(g, github);
  awsEdges(g, github);
  gcpEdges(g, github);
  entraEdges(g, github);
  return { nodes: [...g.nodes.values()], edges: g.edges, github };
}
