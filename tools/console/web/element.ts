// Builds DOM from data as text only: the page shows what tenants' login systems and users typed (challenge context,
// user ids, alert fields), so nothing from data may ever be parsed as markup.
type Child = Node | string | null | undefined | false;

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; title?: string; data?: Record<string, string> } = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.title) node.title = props.title;
  for (const [name, value] of Object.entries(props.data ?? {})) node.dataset[name] = value;
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}
