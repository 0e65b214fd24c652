import kafkajs, { type AclEntry, type Kafka } from 'kafkajs';
import type { ServiceAccess } from './access-plan.ts';

// kafkajs is CommonJS and builds these enums at run time: Node's ESM loader cannot name them as imports.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

type Grant = { operation: 'Read' | 'Write' | 'Describe'; resource: 'Topic' | 'Group'; name: string };

const OPERATION = { Read: AclOperationTypes.READ, Write: AclOperationTypes.WRITE, Describe: AclOperationTypes.DESCRIBE } as const;
const RESOURCE = { Topic: AclResourceTypes.TOPIC, Group: AclResourceTypes.GROUP } as const;

/** The grants of one access plan entry, in the words of `kafka-acls.sh` (operation, resource type, literal name). */
export function grantsOf(access: ServiceAccess): Grant[] {
  return [
    ...access.write.map((name): Grant => ({ operation: 'Write', resource: 'Topic', name })),
    ...access.read.map((name): Grant => ({ operation: 'Read', resource: 'Topic', name })),
    ...access.describe.map((name): Grant => ({ operation: 'Describe', resource: 'Topic', name })),
    ...access.groups.map((name): Grant => ({ operation: 'Read', resource: 'Group', name })),
    ...access.describeGroups.map((name): Grant => ({ operation: 'Describe', resource: 'Group', name })),
  ];
}

/** `kafka-acls.sh` arguments that grant the same (for operators without this tool: docs/operations.md). */
export function kafkaAclsCommands(plan: readonly ServiceAccess[]): string[] {
  return plan.flatMap((access) => grantsOf(access).map((grant) =>
    `--add --allow-principal ${access.principal} --operation ${grant.operation} --${grant.resource.toLowerCase()} ${grant.name}`));
}

/** Creates the ACLs of the plan (idempotent: Kafka keeps one of each). Run with an admin principal's client. */
export async function applyAccessPlan(kafka: Kafka, plan: readonly ServiceAccess[]): Promise<number> {
  const acl: AclEntry[] = plan.flatMap((access) => grantsOf(access).map((grant) => ({
    principal: access.principal,
    host: '*',
    operation: OPERATION[grant.operation],
    permissionType: AclPermissionTypes.ALLOW,
    resourceType: RESOURCE[grant.resource],
    resourceName: grant.name,
    resourcePatternType: ResourcePatternTypes.LITERAL,
  })));
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl });
    return acl.length;
  } finally {
    await admin.disconnect();
  }
}
