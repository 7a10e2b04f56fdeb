import type { Activity, ActivityDefinition, Context, Statement, StatementObject, SubStatement } from '@tln/xapi'

/**
 * How the LRS's canonical definition of an Activity changes when a statement carries a new
 * definition: properties the new definition has replace the stored ones, except the language
 * maps `name` and `description`, which are merged language by language, so a definition sent in
 * Indonesian does not erase the English one. Interaction components, extensions and the rest are
 * replaced whole. Pure; `ActivityStore` applies the same rule in SQL against the stored value.
 */
export function mergeDefinitions(stored: ActivityDefinition, incoming: ActivityDefinition): ActivityDefinition {
  const merged: ActivityDefinition = { ...stored, ...incoming }
  if (stored.name !== undefined && incoming.name !== undefined) merged.name = { ...stored.name, ...incoming.name }
  if (stored.description !== undefined && incoming.description !== undefined) merged.description = { ...stored.description, ...incoming.description }
  return merged
}

/**
 * Every Activity definition in a batch of statements, merged per Activity id in statement order
 * (later statements win): the object, the object of a SubStatement, and the context Activities
 * (parent, grouping, category, other) of the statement and of its SubStatement.
 */
export function definitionsInStatements(statements: readonly Statement[]): Map<string, ActivityDefinition> {
  const found = new Map<string, ActivityDefinition>()
  const add = (activity: Activity): void => {
    if (activity.definition === undefined) return
    const seen = found.get(activity.id)
    found.set(activity.id, seen === undefined ? activity.definition : mergeDefinitions(seen, activity.definition))
  }
  const addContext = (context: Context | undefined): void => {
    const lists = context?.contextActivities
    if (lists === undefined) return
    for (const list of [lists.parent, lists.grouping, lists.category, lists.other]) for (const activity of list ?? []) add(activity)
  }
  const addObject = (object: StatementObject | SubStatement['object']): void => {
    if (object.objectType === undefined || object.objectType === 'Activity') add(object as Activity)
    else if (object.objectType === 'SubStatement') {
      addObject(object.object)
      addContext(object.context)
    }
  }
  for (const statement of statements) {
    addObject(statement.object)
    addContext(statement.context)
  }
  return found
}
