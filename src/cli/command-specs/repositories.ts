/** Repositories, their external connections, and the tags on domains and repositories. */
import { inGroup, lazy, type CommandSpec } from '../command-spec.js';

const handlers = () => import('../commands/repositories.js');
const tags = () => import('../commands/tags.js');

export const REPOSITORY_COMMANDS: readonly CommandSpec[] = inGroup('Repositories', [
  {
    name: 'create-repository',
    aliases: ['create-repo'],
    summary: 'Create a repository in a domain; asks for missing values on a terminal.',
    examples: [
      'artifact-cli create-repository --domain my-domain --repository shared',
      'artifact-cli create-repo --domain my-domain --repository app --upstreams repositoryName=shared',
    ],
    options: [['domain', 'The domain that will hold it.'], 'domainOwner', ['repository', 'Name of the new repository.'], 'description', 'upstreams', 'tags'],
    run: lazy(async () => (await handlers()).createRepository),
  },
  {
    name: 'describe-repository',
    summary: 'Show a repository with its upstreams and external connection.',
    examples: ['artifact-cli describe-repository --domain my-domain --repository app'],
    options: ['domain', 'domainOwner', 'repository'],
    run: lazy(async () => (await handlers()).describeRepository),
  },
  {
    name: 'list-repositories',
    summary: 'List repositories in every domain.',
    examples: ['artifact-cli list-repositories --repository-prefix app'],
    options: ['repositoryPrefix', 'maxResults', 'nextToken'],
    run: lazy(async () => (await handlers()).listRepositories),
  },
  {
    name: 'list-repositories-in-domain',
    summary: 'List the repositories of one domain.',
    examples: ['artifact-cli list-repositories-in-domain --domain my-domain --output table'],
    options: ['domain', 'domainOwner', 'administratorAccount', 'repositoryPrefix', 'maxResults', 'nextToken'],
    run: lazy(async () => (await handlers()).listRepositoriesInDomain),
  },
  {
    name: 'update-repository',
    summary: 'Change the description or replace the upstream list of a repository.',
    examples: [
      'artifact-cli update-repository --domain my-domain --repository app --upstreams repositoryName=shared',
      'artifact-cli update-repository --domain my-domain --repository app --upstreams ""',
    ],
    options: ['domain', 'domainOwner', 'repository', 'description', 'upstreams'],
    run: lazy(async () => (await handlers()).updateRepository),
  },
  {
    name: 'delete-repository',
    summary: 'Delete a repository and the package records it holds.',
    examples: ['artifact-cli delete-repository --domain my-domain --repository app'],
    options: ['domain', 'domainOwner', 'repository'],
    run: lazy(async () => (await handlers()).deleteRepository),
  },
  {
    name: 'associate-external-connection',
    summary: 'Connect a repository to a public registry (public:npmjs, public:pypi, ...).',
    examples: ['artifact-cli associate-external-connection --domain my-domain --repository shared --external-connection public:npmjs'],
    options: ['domain', 'domainOwner', 'repository', 'externalConnection'],
    run: lazy(async () => (await handlers()).associateExternalConnection),
  },
  {
    name: 'disassociate-external-connection',
    summary: 'Remove the external connection of a repository.',
    examples: ['artifact-cli disassociate-external-connection --domain my-domain --repository shared --external-connection public:npmjs'],
    options: ['domain', 'domainOwner', 'repository', 'externalConnection'],
    run: lazy(async () => (await handlers()).disassociateExternalConnection),
  },
  {
    name: 'tag-resource',
    summary: 'Add or replace tags on a domain, repository or package group, by ARN.',
    examples: ['artifact-cli tag-resource --resource-arn arn:aws:codeartifact:local:000000000000:domain/my-domain --tags key=team,value=web'],
    options: ['resourceArn', 'tags'],
    run: lazy(async () => (await tags()).tagResource),
  },
  {
    name: 'untag-resource',
    summary: 'Remove tags from a domain, repository or package group, by ARN.',
    examples: ['artifact-cli untag-resource --resource-arn arn:aws:codeartifact:local:000000000000:domain/my-domain --tag-keys team'],
    options: ['resourceArn', 'tagKeys'],
    run: lazy(async () => (await tags()).untagResource),
  },
  {
    name: 'list-tags-for-resource',
    summary: 'List the tags of a domain, repository or package group, by ARN.',
    examples: ['artifact-cli list-tags-for-resource --resource-arn arn:aws:codeartifact:local:000000000000:domain/my-domain'],
    options: ['resourceArn'],
    run: lazy(async () => (await tags()).listTagsForResource),
  },
]);
