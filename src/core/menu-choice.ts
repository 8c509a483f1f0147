/** The choice that lists the customer's own requests, on every menu. */
export const REQUESTS_CHOICE = 'requests'

const CHOICE_ID = /^(\d{1,12}):(\d{1,3})$/

/** A choice's id: the menu (its prompt row) and the option's place in it. */
export const choiceId = (promptId: number, index: number): string => `${promptId}:${index}`

/** The menu and the option a choice's id names, when it is shaped like one of ours. */
export function readChoiceId(id: string): { promptId: number; index: number } | undefined {
  const match = CHOICE_ID.exec(id)
  return match === null ? undefined : { promptId: Number(match[1]), index: Number(match[2]) }
}

/**
 * Whether a tapped id is shaped like one of our menus' (it may still be forged or old: the intake
 * checks it). A platform's reply button that is not ours (a template's) is a message like any other.
 */
export const isMenuChoice = (id: string): boolean => id === REQUESTS_CHOICE || CHOICE_ID.test(id)
