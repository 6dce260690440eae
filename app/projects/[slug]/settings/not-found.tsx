export default function SettingsNotFound() {
  return (
    <div className="rounded-lg border border-gray-200 bg-white px-6 py-12 text-center shadow-sm">
      <h2 className="text-lg font-semibold text-gray-900">Not available</h2>
      <p className="mt-2 text-sm text-gray-500">Your role in this project does not include this settings page.</p>
    </div>
  );
}
