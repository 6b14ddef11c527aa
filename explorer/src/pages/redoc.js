// ReDoc from the redoc npm package's standalone bundle, served by the API itself (no CDN, no Google fonts).
window.addEventListener("DOMContentLoaded", () => {
  window.Redoc.init("/openapi.json", { disableSearch: false }, document.getElementById("redoc"));
});
