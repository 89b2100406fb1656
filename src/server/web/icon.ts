/** The tab icon: a box, drawn as SVG (a file of its own, as img-src allows only this origin). */
export const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 29 9v14l-13 7-13-7V9z" fill="#0b5cad"/><path d="M3 9l13 7 13-7M16 16v14" stroke="#fff" stroke-width="2" fill="none"/></svg>';
