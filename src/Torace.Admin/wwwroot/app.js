// Saves bytes the server sent as a file: the admin's CSV exports.
window.toraceDownload = async (name, stream) => {
    const blob = new Blob([await stream.arrayBuffer()], { type: "text/csv;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
};
